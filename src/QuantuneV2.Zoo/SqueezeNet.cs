namespace QuantuneV2.Zoo;

/// <summary>
/// SqueezeNet 1.1 (Iandola et al. 2016, the torchvision variant): 3×3/2 conv to 64 channels, eight
/// fire modules with ceil-mode 3×3/2 max pools after conv1, fire3 and fire5, then dropout, a 1×1
/// conv to 1000 classes, ReLU and global average pooling. Every conv has a bias; there is no BN.
/// </summary>
internal static class SqueezeNet
{
    public static Value SqueezeNet11(GraphBuilder b)
    {
        var x = b.Relu(b.Conv(b.Input, "features.0", 64, 3, stride: 2, bias: true), "features.1");
        x = b.MaxPool(x, "features.2", 3, 2, ceil: true);
        x = Fire(b, x, "features.3", 16, 64);
        x = Fire(b, x, "features.4", 16, 64);
        x = b.MaxPool(x, "features.5", 3, 2, ceil: true);
        x = Fire(b, x, "features.6", 32, 128);
        x = Fire(b, x, "features.7", 32, 128);
        x = b.MaxPool(x, "features.8", 3, 2, ceil: true);
        x = Fire(b, x, "features.9", 48, 192);
        x = Fire(b, x, "features.10", 48, 192);
        x = Fire(b, x, "features.11", 64, 256);
        x = Fire(b, x, "features.12", 64, 256);
        x = b.Dropout(x, "classifier.0", 0.5f);
        x = b.Relu(b.Conv(x, "classifier.1", GraphBuilder.Classes, 1, bias: true), "classifier.2");
        x = b.GlobalAveragePool(x, "classifier.3");
        return b.Flatten(x, "flatten", output: GraphBuilder.OutputName);
    }

    /// <summary>Squeeze 1×1 conv, then 1×1 and 3×3 expand convs side by side, concatenated.</summary>
    private static Value Fire(GraphBuilder b, Value x, string p, int squeeze, int expand)
    {
        var s = b.Relu(b.Conv(x, $"{p}.squeeze", squeeze, 1, bias: true), $"{p}.squeeze_activation");
        var e1 = b.Relu(b.Conv(s, $"{p}.expand1x1", expand, 1, bias: true), $"{p}.expand1x1_activation");
        var e3 = b.Relu(b.Conv(s, $"{p}.expand3x3", expand, 3, pad: 1, bias: true), $"{p}.expand3x3_activation");
        return b.Concat($"{p}.concat", e1, e3);
    }
}
