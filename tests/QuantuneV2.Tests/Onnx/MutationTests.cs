using Google.Protobuf;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Onnx;
using QuantuneV2.Onnx.Proto;

namespace QuantuneV2.Tests.Onnx;

/// <summary>
/// Seeded mutations of real models (truncation, bit flips, wrong dtypes, bad dims, cycles, missing
/// values, corrupted attributes) must end in a QV error or a correct load — never another exception.
/// Mutants that load are also executed when small enough, so kernels see the corrupted attributes too.
/// </summary>
public class MutationTests
{
    private const int MutantsPerKind = 40;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "models/fmnist/resnet18.bn.onnx", "models/fmnist/mobilenetv2.onnx", "models/imagenet/squeezenet1.1.onnx" })
            foreach (var kind in new[] { "truncate", "bitflip", "dtype", "dims", "cycle", "missing", "attribute", "optype" })
                data.Add(model, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MutantsFailCleanlyOrLoad(string model, string kind)
    {
        var path = SharedData.Require(model);
        var original = File.ReadAllBytes(path);
        var rng = new Random(HashCode.Combine(model.Length, kind.Length, kind[0]));
        for (int m = 0; m < MutantsPerKind; m++)
        {
            var bytes = Mutate(original, kind, rng);
            var error = Record.Exception(() => LoadAndMaybeRun(bytes));
            Assert.True(error is null or QuantuneException, $"{kind} mutant {m} of {model} threw {error?.GetType().Name}: {error?.Message}");
            if (error is QuantuneException q) Assert.Equal("mutant.onnx", q.File);
        }
    }

    private static void LoadAndMaybeRun(byte[] bytes)
    {
        var graph = OnnxModel.Parse(bytes, "mutant.onnx", directory: null);
        try
        {
            var bound = graph.WithBatch(1);
            // Execute only mutants of the small models: the point is kernels meeting corrupted attributes.
            long elements = bound.Types.Values.Sum(t => t.Shape is { IsStatic: true } s ? s.ElementCount() : 0);
            if (elements > 3_000_000) return;
            var session = new Session(bound);
            var inputs = bound.Inputs.Select(i => Core.IR.Tensor.Zeros(i.Type.DataType, i.Type.Shape!.ToInts())).ToList();
            session.Run(inputs);
        }
        catch (QuantuneException e)
        {
            throw e.WithFile("mutant.onnx");
        }
    }

    private static byte[] Mutate(byte[] original, string kind, Random rng)
    {
        switch (kind)
        {
            case "truncate":
                return original[..rng.Next(original.Length)];
            case "bitflip":
            {
                var b = (byte[])original.Clone();
                for (int k = 0, n = rng.Next(1, 6); k < n; k++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            }
        }
        var p = ModelProto.Parser.ParseFrom(original);
        var g = p.Graph;
        switch (kind)
        {
            case "dtype":
                g.Initializer[rng.Next(g.Initializer.Count)].DataType = rng.Next(0, 20);
                break;
            case "dims":
            {
                long[] bad = [-1, -5, 0, 1L << 31, (1L << 31) + 5, 1L << 40, long.MaxValue, 3];
                if (rng.Next(2) == 0)
                {
                    var t = g.Initializer[rng.Next(g.Initializer.Count)];
                    if (t.Dims.Count > 0) t.Dims[rng.Next(t.Dims.Count)] = bad[rng.Next(bad.Length)];
                }
                else
                {
                    var dims = g.Input[0].Type.TensorType.Shape.Dim;
                    dims[rng.Next(dims.Count)].DimValue = bad[rng.Next(bad.Length)];
                }
                break;
            }
            case "cycle":
            {
                var withInputs = g.Node.Select((n, i) => (n, i)).Where(p => p.n.Input.Count > 0 && p.i < g.Node.Count - 1).ToList();
                var (early, at) = withInputs[rng.Next(withInputs.Count)];
                early.Input[0] = g.Node[rng.Next(at + 1, g.Node.Count)].Output[0];
                break;
            }
            case "missing":
                if (rng.Next(2) == 0) g.Initializer.RemoveAt(rng.Next(g.Initializer.Count));
                else g.Node.Where(n => n.Input.Count > 0).ElementAt(rng.Next(g.Node.Count(n => n.Input.Count > 0))).Input[0] = "no_such_value";
                break;
            case "attribute":
            {
                var withAttrs = g.Node.Where(n => n.Attribute.Count > 0).ToList();
                var node = withAttrs[rng.Next(withAttrs.Count)];
                var attr = node.Attribute[rng.Next(node.Attribute.Count)];
                long[] values = [0, -1, -3, 1000, int.MaxValue, long.MinValue, 7];
                if (attr.Ints.Count > 0) attr.Ints[rng.Next(attr.Ints.Count)] = values[rng.Next(values.Length)];
                else if (rng.Next(3) == 0) attr.Type = (AttributeProto.Types.AttributeType)rng.Next(0, 15);
                else attr.I = values[rng.Next(values.Length)];
                break;
            }
            case "optype":
            {
                string[] ops = ["Conv", "Relu", "Add", "Concat", "Gemm", "MaxPool", "Reshape", "Softmax", "Gather", "Transpose", "NoSuchOp", "Flatten", "Pad"];
                g.Node[rng.Next(g.Node.Count)].OpType = ops[rng.Next(ops.Length)];
                break;
            }
        }
        return p.ToByteArray();
    }
}
