using QuantuneV2.Kernels;
using static QuantuneV2.Tests.Kernels.KernelTestSupport;

namespace QuantuneV2.Tests.Kernels;

public class Conv2dTests
{
    public static TheoryData<string> AllIsas => Isas();

    private static Conv2dGeometry G(
        int inC, int inH, int inW, int outC, int kH, int kW, int sH = 1, int sW = 1, int dH = 1, int dW = 1,
        int pt = 0, int pl = 0, int pb = 0, int pr = 0, int groups = 1)
        => new(inC, inH, inW, outC, kH, kW, sH, sW, dH, dW, pt, pl, pb, pr, groups);

    private static readonly (string Name, Conv2dGeometry Geometry)[] Cases =
    [
        ("1x1 in place", G(5, 9, 11, 7, 1, 1)),
        ("1x1 stride 2", G(6, 9, 10, 5, 1, 1, sH: 2, sW: 2)),
        ("1x1 padded", G(3, 4, 5, 4, 1, 1, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("1x1 many columns", G(16, 20, 23, 9, 1, 1)),
        ("3x3 same", G(4, 13, 11, 6, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("3x3 valid", G(3, 8, 9, 5, 3, 3)),
        ("3x3 stride 2", G(5, 15, 12, 8, 3, 3, sH: 2, sW: 2, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("3x3 stride 2 long rows", G(3, 6, 75, 4, 3, 3, sH: 2, sW: 2, pt: 1, pl: 1, pb: 0, pr: 1)),
        ("3x3 stride 2x1", G(2, 9, 8, 3, 3, 3, sH: 2, sW: 1, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("3x3 dilation 2", G(3, 12, 10, 4, 3, 3, dH: 2, dW: 2, pt: 2, pl: 2, pb: 2, pr: 2)),
        ("3x3 dilation 2 stride 2", G(3, 13, 14, 5, 3, 3, sH: 2, sW: 2, dH: 2, dW: 2, pt: 1, pl: 2, pb: 2, pr: 1)),
        ("3x3 asymmetric pads", G(3, 7, 9, 5, 3, 3, pt: 0, pl: 1, pb: 2, pr: 0)),
        ("3x3 deep (k blocks)", G(40, 9, 7, 13, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("3x3 wide blocks", G(8, 30, 30, 12, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("5x5", G(3, 11, 10, 4, 5, 5, pt: 2, pl: 2, pb: 2, pr: 2)),
        ("5x5 stride 2 asymmetric", G(2, 12, 13, 3, 5, 5, sH: 2, sW: 2, pt: 1, pl: 2, pb: 2, pr: 1)),
        ("7x7 stride 2", G(3, 23, 19, 8, 7, 7, sH: 2, sW: 2, pt: 3, pl: 3, pb: 3, pr: 3)),
        ("7x7 covers input", G(4, 7, 7, 3, 7, 7)),
        ("1x3 and 3x1", G(3, 6, 8, 4, 1, 3, pl: 1, pr: 1)),
        ("3x1 stride 3", G(3, 10, 5, 4, 3, 1, sH: 3, sW: 1, pt: 1, pb: 1)),
        ("1x1 spatial 1x1 kernel", G(7, 1, 1, 5, 1, 1)),
        ("1x1 spatial 3x3 kernel", G(7, 1, 1, 5, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1)),
        ("groups 2", G(6, 8, 7, 4, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1, groups: 2)),
        ("groups 3 uneven", G(6, 9, 9, 9, 3, 3, sH: 2, sW: 2, pt: 1, pl: 0, pb: 1, pr: 1, groups: 3)),
        ("grouped 1x1", G(8, 5, 6, 12, 1, 1, groups: 4)),
        ("depthwise 3x3", G(5, 10, 9, 5, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1, groups: 5)),
        ("depthwise 3x3 stride 2", G(4, 11, 12, 4, 3, 3, sH: 2, sW: 2, pt: 1, pl: 1, pb: 1, pr: 1, groups: 4)),
        ("depthwise 3x3 stride 2 long rows", G(3, 7, 70, 3, 3, 3, sH: 2, sW: 2, pt: 0, pl: 1, pb: 1, pr: 0, groups: 3)),
        ("depthwise multiplier 2", G(4, 8, 9, 8, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1, groups: 4)),
        ("depthwise 5x5 dilation 2", G(3, 13, 12, 3, 5, 5, dH: 2, dW: 2, pt: 4, pl: 4, pb: 4, pr: 4, groups: 3)),
        ("depthwise 7x7 asymmetric", G(2, 9, 10, 2, 7, 7, pt: 3, pl: 2, pb: 1, pr: 3, groups: 2)),
        ("depthwise 5x5 long odd rows multiplier 2", G(2, 8, 40, 4, 5, 5, pt: 2, pl: 1, pb: 1, pr: 2, groups: 2)),
        ("depthwise dilation 2 long rows", G(3, 9, 36, 3, 3, 3, dH: 2, dW: 2, pt: 2, pl: 2, pb: 2, pr: 2, groups: 3)),
        ("depthwise long rows", G(3, 4, 70, 3, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1, groups: 3)),
        ("depthwise 1x1 spatial", G(6, 1, 1, 6, 3, 3, pt: 1, pl: 1, pb: 1, pr: 1, groups: 6)),
        ("depthwise 1x1 kernel multiplier 3", G(2, 5, 4, 6, 1, 1, groups: 2)),
    ];

    public static TheoryData<string, string> IsaAndCase()
    {
        var data = new TheoryData<string, string>();
        foreach (var isa in Isas())
        {
            foreach (var (name, _) in Cases)
                data.Add(isa.Data, name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IsaAndCase))]
    public void MatchesDirectConvolution(string isa, string caseName)
    {
        using var _ = Force(isa);
        var g = Cases.Single(c => c.Name == caseName).Geometry;
        int index = Array.FindIndex(Cases, c => c.Name == caseName);
        var activation = Activations.ElementAt(index % Activations.Count());
        bool withBias = index % 3 != 1;
        var rng = new Random(index + 10);
        var weights = Random(rng, g.OutChannels * (g.InChannels / g.Groups) * g.KernelHeight * g.KernelWidth);
        var bias = withBias ? Random(rng, g.OutChannels) : [];
        var input = Random(rng, g.InChannels * g.InHeight * g.InWidth);

        var conv = new Conv2d(g, weights, bias, activation);
        // Garbage in scratch and output must not leak into results.
        var scratch = Enumerable.Repeat(float.NaN, conv.ScratchLength).ToArray();
        var output = Enumerable.Repeat(float.NaN, g.OutChannels * g.OutHeight * g.OutWidth + 1).ToArray();
        conv.Run(input, output, scratch);

        Assert.True(float.IsNaN(output[^1]), "wrote past the output");
        CheckAgainstReference(g, input, weights, bias, activation, output);
    }

    [Fact]
    public void GeometryComputesOutputSize()
    {
        var g = Conv2dGeometry.Create(3, 224, 224, 64, 7, stride: 2, pad: 3);
        Assert.Equal((112, 112), (g.OutHeight, g.OutWidth));
        Assert.Equal(118_013_952L, g.MultiplyAccumulates);
        Assert.Equal(27, G(1, 28, 28, 1, 3, 3, sH: 1, sW: 1, dH: 1, dW: 1, pt: 0, pl: 0, pb: 1, pr: 1).OutHeight);
    }

    [Fact]
    public void InvalidGeometryAndShortBuffersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Conv2d(G(3, 2, 2, 4, 3, 3), new float[4 * 3 * 9], []));
        Assert.Throws<ArgumentException>(() => new Conv2d(G(3, 5, 5, 4, 3, 3, groups: 2), new float[4 * 3 * 9], []));
        Assert.Throws<ArgumentException>(() => new Conv2d(G(3, 5, 5, 4, 3, 3), new float[10], []));
        var conv = new Conv2d(G(3, 5, 5, 4, 3, 3), new float[4 * 3 * 9], []);
        Assert.Throws<ArgumentException>(() => conv.Run(new float[75], new float[36], new float[conv.ScratchLength - 1]));
        Assert.Throws<ArgumentException>(() => conv.Run(new float[74], new float[36], new float[conv.ScratchLength]));
    }

    private static void CheckAgainstReference(Conv2dGeometry g, float[] input, float[] weights, float[] bias, Activation activation, float[] output)
    {
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups;
        for (int oc = 0; oc < g.OutChannels; oc++)
        {
            int group = oc / outPerGroup;
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    double sum = bias.Length == 0 ? 0 : bias[oc], magnitude = Math.Abs(sum);
                    for (int ci = 0; ci < inPerGroup; ci++)
                    {
                        int c = group * inPerGroup + ci;
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                        {
                            int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                                if (iy < 0 || iy >= g.InHeight || ix < 0 || ix >= g.InWidth)
                                    continue;
                                double p = (double)weights[((oc * inPerGroup + ci) * g.KernelHeight + ky) * g.KernelWidth + kx]
                                    * input[(c * g.InHeight + iy) * g.InWidth + ix];
                                sum += p;
                                magnitude += Math.Abs(p);
                            }
                        }
                    }

                    float actual = output[(oc * g.OutHeight + oy) * g.OutWidth + ox];
                    AssertClose(actual, Apply(activation, sum), magnitude, $"{g} out[{oc},{oy},{ox}]", activation);
                }
            }
        }
    }
}
