using QuantuneV2.Kernels;

namespace QuantuneV2.Benchmarks;

/// <summary>Representative CNN convolutions (ResNet18, MobileNetV2), one image, bias and fused ReLU.</summary>
public static class ConvLayers
{
    public static readonly IReadOnlyDictionary<string, Conv2dGeometry> All = new Dictionary<string, Conv2dGeometry>
    {
        ["3x3 64->64 56x56"] = Conv2dGeometry.Create(64, 56, 56, 64, 3, pad: 1),
        ["3x3 16->64 55x55"] = Conv2dGeometry.Create(16, 55, 55, 64, 3, pad: 1),
        ["3x3 32->128 27x27"] = Conv2dGeometry.Create(32, 27, 27, 128, 3, pad: 1),
        ["1x1 256->64 56x56"] = Conv2dGeometry.Create(256, 56, 56, 64, 1),
        ["3x3/2 128->256 28x28"] = Conv2dGeometry.Create(128, 28, 28, 256, 3, stride: 2, pad: 1),
        ["7x7/2 3->64 224x224"] = Conv2dGeometry.Create(3, 224, 224, 64, 7, stride: 2, pad: 3),
        ["3x3/2 3->64 224x224"] = Conv2dGeometry.Create(3, 224, 224, 64, 3, stride: 2),
        ["dw3x3 144ch 56x56"] = Conv2dGeometry.Create(144, 56, 56, 144, 3, pad: 1, groups: 144),
        ["3x3 128->128 28x28"] = Conv2dGeometry.Create(128, 28, 28, 128, 3, pad: 1),
        ["3x3 256->256 14x14"] = Conv2dGeometry.Create(256, 14, 14, 256, 3, pad: 1),
        ["3x3 512->512 7x7"] = Conv2dGeometry.Create(512, 7, 7, 512, 3, pad: 1),
        ["1x1 16->96 112x112"] = Conv2dGeometry.Create(16, 112, 112, 96, 1),
        ["1x1 96->24 56x56"] = Conv2dGeometry.Create(96, 56, 56, 24, 1),
        ["dw3x3/2 96ch 112x112"] = Conv2dGeometry.Create(96, 112, 112, 96, 3, stride: 2, pad: 1, groups: 96),
    };

    /// <summary>A layer with random weights and the buffers to run it.</summary>
    public sealed class Instance
    {
        public Instance(Conv2dGeometry g)
        {
            var rng = new Random(42);
            float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            Geometry = g;
            Conv = new Conv2d(g, Fill(g.OutChannels * g.InChannels / g.Groups * g.KernelHeight * g.KernelWidth), Fill(g.OutChannels), Activation.Relu);
            Input = Fill(g.InChannels * g.InHeight * g.InWidth);
            Output = new float[g.OutChannels * g.OutHeight * g.OutWidth];
            Scratch = new float[Conv.ScratchLength];
        }

        public Conv2dGeometry Geometry { get; }

        public Conv2d Conv { get; }

        public float[] Input { get; }

        public float[] Output { get; }

        public float[] Scratch { get; }

        public void Run() => Conv.Run(Input, Output, Scratch);
    }
}
