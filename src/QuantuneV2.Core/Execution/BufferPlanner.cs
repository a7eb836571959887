using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// Gives every runtime value a tensor whose backing array is shared with values whose lifetimes do
/// not overlap (greedy best fit over first-definition/last-use intervals). Inputs, graph outputs and
/// kept-alive values get arrays of their own.
/// </summary>
internal static class BufferPlanner
{
    public static Dictionary<string, Tensor> Plan(Graph graph, IReadOnlyList<Node> order, IEnumerable<string> keepAlive)
    {
        var pinned = new HashSet<string>(graph.Outputs.Select(o => o.Name).Concat(keepAlive));
        var lastUse = new Dictionary<string, int>();
        for (int s = 0; s < order.Count; s++)
            foreach (var i in order[s].Inputs)
                if (i.Length > 0) lastUse[i] = s;

        var result = new Dictionary<string, Tensor>();
        foreach (var i in graph.Inputs) result[i.Name] = Tensor.Zeros(i.Type.DataType, i.Type.Shape!.ToInts());

        var free = new List<Array>();
        var releaseAt = new List<(int Step, Array Buffer)>();
        for (int s = 0; s < order.Count; s++)
        {
            foreach (var o in order[s].Outputs)
            {
                if (o.Length == 0 || graph.Constants.ContainsKey(o)) continue;
                var type = graph.TypeOf(o);
                var dims = type.Shape!.ToInts();
                int length = (int)type.Shape.ElementCount();
                if (pinned.Contains(o) || !lastUse.ContainsKey(o))
                {
                    result[o] = new Tensor(type.DataType, dims, DataTypes.NewArray(type.DataType, length));
                    continue;
                }
                var buffer = TakeBestFit(free, type.DataType, length) ?? DataTypes.NewArray(type.DataType, length);
                result[o] = new Tensor(type.DataType, dims, buffer);
                releaseAt.Add((lastUse[o], buffer));
            }
            // A buffer is reusable only after its last reader ran, so release after this step's outputs are placed.
            for (int k = releaseAt.Count - 1; k >= 0; k--)
            {
                if (releaseAt[k].Step != s) continue;
                free.Add(releaseAt[k].Buffer);
                releaseAt.RemoveAt(k);
            }
        }
        return result;
    }

    private static Array? TakeBestFit(List<Array> free, DataType type, int length)
    {
        var elementType = DataTypes.NewArray(type, 0).GetType();
        int best = -1;
        for (int k = 0; k < free.Count; k++)
        {
            var a = free[k];
            if (a.GetType() != elementType) continue;
            if (best < 0 || Score(a.Length, length) < Score(free[best].Length, length)) best = k;
        }
        if (best < 0) return null;
        var chosen = free[best];
        free.RemoveAt(best);
        if (chosen.Length >= length) return chosen;
        // Too small: replace it with a grown array so the pool converges to the needed sizes.
        return DataTypes.NewArray(type, length);
    }

    // Prefer the smallest array that fits; otherwise the largest one (to be regrown).
    private static long Score(int available, int needed) => available >= needed ? available - needed : (long)int.MaxValue + (needed - available);
}
