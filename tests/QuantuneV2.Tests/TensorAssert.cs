using QuantuneV2.Core.IR;

namespace QuantuneV2.Tests;

public static class TensorAssert
{
    /// <summary>ONNX's comparison: floats within atol + rtol·|expected| (NaN matches NaN), integers exactly.</summary>
    public static void Close(Tensor expected, Tensor actual, string what, double rtol = 1e-3, double atol = 1e-7)
    {
        Assert.True(expected.Dims.AsSpan().SequenceEqual(actual.Dims), $"{what}: dims [{string.Join(",", actual.Dims)}], expected [{string.Join(",", expected.Dims)}]");
        Assert.True(expected.DataType == actual.DataType, $"{what}: type {actual.DataType}, expected {expected.DataType}");
        if (expected.DataType is DataType.Float or DataType.Double)
        {
            var e = expected.ToFloatArray();
            var a = actual.ToFloatArray();
            for (int i = 0; i < e.Length; i++)
            {
                if (float.IsNaN(e[i]) && float.IsNaN(a[i])) continue;
                if (e[i] == a[i]) continue;
                double diff = Math.Abs((double)e[i] - a[i]);
                Assert.True(diff <= atol + rtol * Math.Abs(e[i]), $"{what}: element {i} is {a[i]}, expected {e[i]} (diff {diff:E2})");
            }
        }
        else
        {
            Assert.True(expected.AsBytes().SequenceEqual(actual.AsBytes()), $"{what}: integer contents differ");
        }
    }
}
