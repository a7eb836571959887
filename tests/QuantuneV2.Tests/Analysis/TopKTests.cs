using QuantuneV2.Core.Analysis;

namespace QuantuneV2.Tests.Analysis;

public class TopKTests
{
    [Fact]
    public void TiesGoToTheLowerIndex()
    {
        float[] s = [0.1f, 0.7f, 0.7f, 0.2f];
        Assert.Equal(1, TopK.ArgMax(s));
        Assert.True(TopK.Contains(s, 1, 1));
        Assert.False(TopK.Contains(s, 2, 1));
        Assert.True(TopK.Contains(s, 2, 2));
    }

    [Fact]
    public void TopFiveCountsClassesAhead()
    {
        float[] s = [9, 8, 7, 6, 5, 4, 3];
        Assert.True(TopK.Contains(s, 4, 5));
        Assert.False(TopK.Contains(s, 5, 5));
        Assert.False(TopK.Contains(s, -1, 5));
        Assert.False(TopK.Contains(s, 7, 5));
    }
}
