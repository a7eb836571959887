using QuantuneV2.Core.IR;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The blocks of a CNN for block mode: single-entry, single-exit regions of the fused graph. A node is a
/// cut when every path from the input to the output passes through it (no value skips over it in
/// topological order); a block runs from just after one cut to the next cut inclusive, so a residual
/// block ends at its residual convolution and a fire module at its Concat. A cut that opens branches
/// without joining any (a fire module's squeeze) starts the following block instead of ending its own.
/// </summary>
public static class Blocks
{
    /// <returns>The blocks in graph order, each as the names of its nodes among <paramref name="layers"/> (blocks without such nodes are left out).</returns>
    public static IReadOnlyList<IReadOnlyList<string>> Find(Graph fused, IReadOnlyCollection<string> layers)
    {
        var nodes = fused.Nodes;
        var producedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Length; i++)
            foreach (var o in nodes[i].Outputs.Where(o => o.Length > 0)) producedAt[o] = i;
        foreach (var input in fused.Inputs) producedAt[input.Name] = -1;

        // skipped[i] > 0 when some value made before node i is read after it.
        var skipped = new int[nodes.Length + 1];
        var consumers = new int[nodes.Length];
        var activationInputs = new int[nodes.Length];
        for (int c = 0; c < nodes.Length; c++)
            foreach (var v in nodes[c].Inputs.Where(v => v.Length > 0 && producedAt.ContainsKey(v)).Distinct())
            {
                int p = producedAt[v];
                activationInputs[c]++;
                if (p >= 0) consumers[p]++;
                if (c - p > 1) { skipped[p + 1]++; skipped[c]--; }
            }
        foreach (var o in fused.Outputs)
            if (producedAt.TryGetValue(o.Name, out int p) && p >= 0 && p < nodes.Length - 1) { skipped[p + 1]++; skipped[nodes.Length]--; }

        var blocks = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        int open = 0;
        for (int i = 0; i < nodes.Length; i++)
        {
            open += skipped[i];
            if (layers.Contains(nodes[i].DisplayName)) current.Add(nodes[i].DisplayName);
            bool cut = open == 0;
            bool opensBranches = consumers[i] >= 2 && activationInputs[i] < 2;
            if (cut && !opensBranches && current.Count > 0)
            {
                blocks.Add(current);
                current = [];
            }
        }
        if (current.Count > 0) blocks.Add(current);
        return blocks;
    }
}
