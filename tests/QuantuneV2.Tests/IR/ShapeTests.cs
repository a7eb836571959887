using QuantuneV2.Core.IR;

namespace QuantuneV2.Tests.IR;

public class ShapeTests
{
    [Fact]
    public void SymbolicDimsPrintByName()
    {
        var s = new Shape([Dim.Symbol("N"), Dim.Of(3), Dim.Of(224)]);
        Assert.Equal("[N,3,224]", s.ToString());
        Assert.False(s.IsStatic);
    }
}
