using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = QuantuneV2.Core.IR.Tensor;

namespace QuantuneV2.Tests;

/// <summary>ONNX Runtime as a test-only peer: runs a model file on float inputs.</summary>
public sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OrtRunner(string modelPath, int threads = 1)
    {
        var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(modelPath, options);
    }

    public string InputName => _session.InputMetadata.Keys.First();

    public float[] Run(float[] input, int[] dims)
    {
        var tensor = new DenseTensor<float>(input, dims);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(InputName, tensor)]);
        return results.First().AsEnumerable<float>().ToArray();
    }

    public float[] Run(Tensor input) => Run(input.ToFloatArray(), input.Dims);

    public void Dispose() => _session.Dispose();
}
