using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.Execution;

public class SessionTests
{
    private static Graph Model() => OnnxModel.Load(SharedData.Require("models/fmnist/resnet18.bn.onnx")).WithBatch(1);

    private static Tensor Input(int seed)
    {
        var rng = new Random(seed);
        return Tensor.FromFloats(Enumerable.Range(0, 1024).Select(_ => (float)rng.NextDouble() * 2 - 1).ToArray(), 1, 1, 32, 32);
    }

    [Fact]
    public void BufferReuseDoesNotChangeResults()
    {
        // Observing every value pins every buffer: a run without reuse is the reference for one with it.
        var g = Model();
        var shared = new Session(g).Run(Input(1)).ToFloatArray();
        var pinned = new Session(g, ["*"]).Run(Input(1)).ToFloatArray();
        Assert.Equal(pinned, shared);
    }

    [Fact]
    public void ObserverSeesEveryNodeOutputInOrder()
    {
        var g = Model();
        var seen = new List<string>();
        new Session(g, ["*"]).Run([Input(2)], (name, _) => seen.Add(name));
        var expected = g.Inputs.Select(i => i.Name).Concat(g.Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0 && !g.Constants.ContainsKey(o)));
        Assert.Equal(expected, seen);
    }

    [Fact]
    public void RepeatedRunsAreDeterministic()
    {
        var s = new Session(Model());
        var a = s.Run(Input(3)).ToFloatArray();
        s.Run(Input(4));
        Assert.Equal(a, s.Run(Input(3)).ToFloatArray());
    }

    [Fact]
    public void WrongInputsAreQvErrors()
    {
        var s = new Session(Model());
        Assert.Equal(DiagnosticCode.InvalidInput, Assert.Throws<QuantuneException>(() => s.Run(Tensor.Zeros(DataType.Float, 1, 1, 28, 28))).Code);
        Assert.Equal(DiagnosticCode.InvalidInput, Assert.Throws<QuantuneException>(() => s.Run([])).Code);
    }

    [Fact]
    public void SymbolicShapesMustBeBoundFirst() =>
        Assert.Equal(DiagnosticCode.InvalidInput, Assert.Throws<QuantuneException>(() => new Session(OnnxModel.Load(SharedData.Require("models/fmnist/resnet18.bn.onnx")))).Code);

    [Fact]
    public void ParallelRunnerMatchesSequentialRuns()
    {
        var g = Model();
        var s = new Session(g);
        var expected = Enumerable.Range(0, 16).Select(i => s.Run(Input(i)).ToFloatArray()).ToArray();
        var actual = new float[16][];
        ParallelRunner.Run(g, 16, 3, (i, t) => Input(i).Floats.CopyTo(t.Floats), (i, outs) => actual[i] = outs[0].ToFloatArray());
        for (int i = 0; i < 16; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void ParallelRunnerReportsWorkerErrors()
    {
        var g = Model();
        var e = Assert.Throws<QuantuneException>(() => ParallelRunner.Run(g, 4, 2,
            (i, _) => throw new QuantuneException(DiagnosticCode.DatasetData, $"sample {i} is broken"), (_, _) => { }));
        Assert.Equal(DiagnosticCode.DatasetData, e.Code);
    }
}
