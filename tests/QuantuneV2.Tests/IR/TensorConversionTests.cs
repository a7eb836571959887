using QuantuneV2.Core.IR;

namespace QuantuneV2.Tests.IR;

public class TensorConversionTests
{
    [Fact]
    public void UInt8ValuesStayUnsigned()
    {
        var t = new Tensor(DataType.UInt8, [3], new byte[] { 0, 128, 255 });
        Assert.Equal([0L, 128, 255], t.ToInt64Array());
        Assert.Equal([0f, 128, 255], t.ToFloatArray());
    }

    [Fact]
    public void Int8ValuesStaySigned()
    {
        var t = new Tensor(DataType.Int8, [2], new sbyte[] { -128, 127 });
        Assert.Equal([-128L, 127], t.ToInt64Array());
    }
}
