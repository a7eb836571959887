using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// Inference BatchNormalization y = s·x + t (s = γ/√(σ²+ε), t = β − μ·s, per channel) folded into the
/// Conv or Gemm that feeds it (weights of output channel c times s[c], bias b·s + t); a BN with no
/// such producer becomes a per-channel Mul and Add.
/// </summary>
public sealed class FoldBatchNorm : IGraphPass
{
    public string Name => "fold-batchnorm";

    public Graph Run(Graph graph, PassLog log)
    {
        var rw = new GraphRewriter(graph);
        foreach (var bn in graph.Nodes)
        {
            if (bn.OpType != "BatchNormalization" || bn.Domain.Length > 0) continue;
            var stats = bn.Inputs.Skip(1).Take(4).Select(i => graph.Constants.GetValueOrDefault(i)).ToArray();
            if (stats.Any(t => t is null)) continue;
            var (s, t) = ScaleShift(stats!, bn.FindAttribute("epsilon")?.F ?? 1e-5f);
            var x = bn.Inputs[0];
            var producer = graph.Producer(x);
            if (producer is not null && rw.HasSingleUse(x) && TryFoldInto(rw, producer, bn, s, t))
            {
                log.Record(Name, $"folded {bn} into {producer}");
                continue;
            }
            var rank = graph.TypeOf(x).Shape?.Rank ?? 2;
            int[] dims = [s.Length, .. Enumerable.Repeat(1, Math.Max(rank - 2, 0))];
            var scale = rw.AddInitializer(bn.DisplayName + ".scale", Tensor.FromFloats(s, dims));
            var shift = rw.AddInitializer(bn.DisplayName + ".shift", Tensor.FromFloats(t, dims));
            var scaled = bn.Outputs[0] + "_scaled";
            rw.Replace(bn, new Node(bn.Name + "_scale", "Mul", [x, scale], [scaled]), new Node(bn.Name + "_shift", "Add", [scaled, shift], [bn.Outputs[0]]));
            log.Record(Name, $"{bn} became a per-channel Mul and Add");
        }
        return rw.Build();
    }

    private static (float[] Scale, float[] Shift) ScaleShift(Tensor[] stats, float epsilon)
    {
        var gamma = stats[0].Floats;
        var beta = stats[1].Floats;
        var mean = stats[2].Floats;
        var variance = stats[3].Floats;
        var s = new float[gamma.Length];
        var t = new float[gamma.Length];
        for (int c = 0; c < s.Length; c++)
        {
            double sc = gamma[c] / Math.Sqrt((double)variance[c] + epsilon);
            s[c] = (float)sc;
            t[c] = (float)(beta[c] - mean[c] * sc);
        }
        return (s, t);
    }

    private static bool TryFoldInto(GraphRewriter rw, Node producer, Node bn, float[] s, float[] t)
    {
        var g = rw.Graph;
        bool conv = producer.OpType == "Conv" && producer.Domain.Length == 0;
        bool gemm = producer.OpType == "Gemm" && producer.Domain.Length == 0;
        if (!conv && !gemm) return false;
        if (!g.Constants.TryGetValue(producer.Inputs[1], out var w)) return false;
        Tensor? bias = producer.InputAt(2).Length > 0 ? g.Constants.GetValueOrDefault(producer.Inputs[2]) : null;
        if (producer.InputAt(2).Length > 0 && bias is null) return false;

        float[] newW = w.ToFloatArray(), newB;
        if (conv)
        {
            int per = newW.Length / s.Length;
            for (int m = 0; m < s.Length; m++)
                for (int k = 0; k < per; k++) newW[m * per + k] *= s[m];
            newB = new float[s.Length];
            for (int m = 0; m < s.Length; m++) newB[m] = (bias?.Floats[m] ?? 0f) * s[m] + t[m];
        }
        else
        {
            // Gemm: output column n scales by s[n]; C must be a per-column vector (or scalar) to absorb the shift.
            bool transB = producer.FindAttribute("transB")?.I is 1;
            float beta = producer.FindAttribute("beta")?.F ?? 1f;
            if (bias is not null && bias.Rank > 1 && bias.Dims[0] != 1) return false;
            int n = s.Length, k = newW.Length / n;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < n; j++) newW[transB ? j * k + i : i * n + j] *= s[j];
            newB = new float[n];
            for (int j = 0; j < n; j++) newB[j] = beta * (bias is null ? 0f : bias.Floats[bias.Length == 1 ? 0 : j]) * s[j] + t[j];
        }
        var wName = rw.AddInitializer(producer.Inputs[1] + "_bnfolded", new Tensor(DataType.Float, w.Dims, newW));
        var bName = rw.AddInitializer((bias is null ? producer.DisplayName + ".bias" : producer.Inputs[2]) + "_bnfolded", Tensor.FromFloats(newB, newB.Length));
        var attributes = gemm ? producer.Attributes.Where(a => a.Name != "beta").Append(IR.Attribute.Float("beta", 1f)) : producer.Attributes;
        rw.Replace(producer, producer.With(inputs: [producer.Inputs[0], wName, bName], outputs: [bn.Outputs[0]], attributes: attributes));
        rw.Remove(bn);
        return true;
    }
}
