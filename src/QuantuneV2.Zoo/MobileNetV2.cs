namespace QuantuneV2.Zoo;

/// <summary>
/// MobileNetV2 at width 1.0 (Sandler et al. 2018, as torchvision builds it): a 3×3/2 conv to 32
/// channels, seventeen inverted residual blocks (1×1 expand, 3×3 depthwise, linear 1×1 project,
/// with a residual add where stride is 1 and the width is unchanged), a 1×1 conv to 1280, global
/// average pooling, dropout 0.2 and a 1000-way fully connected layer. Activations are ReLU6.
/// </summary>
internal static class MobileNetV2
{
    // (expansion t, output channels c, repeats n, first stride s), the paper's Table 2.
    private static readonly (int T, int C, int N, int S)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static Value Build(GraphBuilder b)
    {
        var x = ConvBnRelu6(b, b.Input, "features.0", 32, 3, stride: 2);
        int index = 1;
        foreach (var (t, c, n, s) in Settings)
            for (int i = 0; i < n; i++)
                x = InvertedResidual(b, x, $"features.{index++}", c, i == 0 ? s : 1, t);
        x = ConvBnRelu6(b, x, $"features.{index}", 1280, 1);
        x = b.Flatten(b.GlobalAveragePool(x, "avgpool"), "flatten");
        x = b.Dropout(x, "classifier.0", 0.2f);
        return b.Gemm(x, "classifier.1", GraphBuilder.Classes, output: GraphBuilder.OutputName);
    }

    private static Value InvertedResidual(GraphBuilder b, Value x, string p, int outChannels, int stride, int expansion)
    {
        int hidden = x.Channels * expansion;
        var y = expansion == 1 ? x : ConvBnRelu6(b, x, $"{p}.expand", hidden, 1);
        y = ConvBnRelu6(b, y, $"{p}.depthwise", hidden, 3, stride, groups: hidden);
        y = b.ConvBn(y, $"{p}.project.conv", $"{p}.project.bn", outChannels, 1);
        return stride == 1 && x.Channels == outChannels ? b.Add(x, y, $"{p}.add") : y;
    }

    private static Value ConvBnRelu6(GraphBuilder b, Value x, string p, int outChannels, int kernel, int stride = 1, int groups = 1) =>
        b.Relu6(b.ConvBn(x, $"{p}.conv", $"{p}.bn", outChannels, kernel, stride, pad: kernel / 2, groups), $"{p}.relu6");
}
