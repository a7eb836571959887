namespace QuantuneV2.Zoo;

/// <summary>
/// ResNet (He et al. 2016) as torchvision builds it: 7×7/2 conv + 3×3/2 max pool stem, four stages
/// of 64/128/256/512 base width (the first block of stages 2-4 halves the resolution), global
/// average pool and a 1000-way fully connected layer. ResNet-18 stacks BasicBlocks [2,2,2,2];
/// ResNet-50 stacks Bottlenecks [3,4,6,3] in the v1.5 form (the stride sits on the 3×3 conv, not
/// the first 1×1; parameters are the same as v1, MACs slightly higher).
/// </summary>
internal static class ResNet
{
    private static readonly int[] StageWidths = [64, 128, 256, 512];

    public static Value ResNet18(GraphBuilder b) => Build(b, [2, 2, 2, 2], BasicBlock);

    public static Value ResNet50(GraphBuilder b) => Build(b, [3, 4, 6, 3], Bottleneck);

    private delegate Value Block(GraphBuilder b, Value x, string prefix, int width, int stride);

    private static Value Build(GraphBuilder b, int[] depths, Block block)
    {
        var x = b.Relu(b.ConvBn(b.Input, "conv1", "bn1", 64, 7, stride: 2, pad: 3), "relu");
        x = b.MaxPool(x, "maxpool", 3, 2, pad: 1);
        for (int stage = 0; stage < depths.Length; stage++)
            for (int i = 0; i < depths[stage]; i++)
                x = block(b, x, $"layer{stage + 1}.{i}", StageWidths[stage], stride: stage > 0 && i == 0 ? 2 : 1);
        x = b.Flatten(b.GlobalAveragePool(x, "avgpool"), "flatten");
        return b.Gemm(x, "fc", GraphBuilder.Classes, output: GraphBuilder.OutputName);
    }

    private static Value BasicBlock(GraphBuilder b, Value x, string p, int width, int stride)
    {
        var y = b.Relu(b.ConvBn(x, $"{p}.conv1", $"{p}.bn1", width, 3, stride, pad: 1), $"{p}.relu1");
        y = b.ConvBn(y, $"{p}.conv2", $"{p}.bn2", width, 3, pad: 1);
        return b.Relu(b.Add(y, Shortcut(b, x, p, width, stride), $"{p}.add"), $"{p}.relu2");
    }

    private static Value Bottleneck(GraphBuilder b, Value x, string p, int width, int stride)
    {
        const int Expansion = 4;
        var y = b.Relu(b.ConvBn(x, $"{p}.conv1", $"{p}.bn1", width, 1), $"{p}.relu1");
        y = b.Relu(b.ConvBn(y, $"{p}.conv2", $"{p}.bn2", width, 3, stride, pad: 1), $"{p}.relu2");
        y = b.ConvBn(y, $"{p}.conv3", $"{p}.bn3", width * Expansion, 1);
        return b.Relu(b.Add(y, Shortcut(b, x, p, width * Expansion, stride), $"{p}.add"), $"{p}.relu3");
    }

    /// <summary>The identity, or a strided 1×1 conv + BN projection where the shape changes.</summary>
    private static Value Shortcut(GraphBuilder b, Value x, string p, int channels, int stride) =>
        stride == 1 && x.Channels == channels ? x : b.ConvBn(x, $"{p}.downsample.0", $"{p}.downsample.1", channels, 1, stride);
}
