namespace QuantuneV2.Zoo;

/// <summary>
/// VGG-16 with batch normalization (Simonyan and Zisserman 2015, configuration D; torchvision's
/// vgg16_bn): thirteen 3×3 convs (with bias) each followed by BN and ReLU, five 2×2/2 max pools,
/// then 25088-4096-4096-1000 fully connected layers with ReLU and dropout. torchvision's adaptive
/// 7×7 average pool is the identity at 224×224 input and is left out.
/// </summary>
internal static class Vgg
{
    private static readonly int[][] Stages = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];

    public static Value Vgg16Bn(GraphBuilder b)
    {
        var x = b.Input;
        for (int s = 0; s < Stages.Length; s++)
        {
            for (int i = 0; i < Stages[s].Length; i++)
            {
                string id = $"{s + 1}_{i + 1}";
                x = b.BatchNorm(b.Conv(x, $"conv{id}", Stages[s][i], 3, pad: 1, bias: true), $"bn{id}");
                x = b.Relu(x, $"relu{id}");
            }
            x = b.MaxPool(x, $"pool{s + 1}", 2, 2);
        }
        x = b.Flatten(x, "flatten");
        x = b.Dropout(b.Relu(b.Gemm(x, "fc6", 4096), "relu6"), "drop6", 0.5f);
        x = b.Dropout(b.Relu(b.Gemm(x, "fc7", 4096), "relu7"), "drop7", 0.5f);
        return b.Gemm(x, "fc8", GraphBuilder.Classes, output: GraphBuilder.OutputName);
    }
}
