using QuantuneV2.Kernels;
using QuantuneV2.Kernels.Program;

namespace QuantuneV2.Benchmarks;

/// <summary>The int8 generated-code convolution on the layers of <see cref="ConvLayers"/>: uint8 channels-last input, fused ReLU (clamp at the zero point), one image.</summary>
public static class QConvLayers
{
    /// <summary>A layer with random weights and an arena holding its input and output.</summary>
    public sealed class Instance
    {
        private readonly QConv2d.Args _args;
        private readonly byte[] _arena;
        private readonly Int8Isa _isa;
        private readonly bool _winograd;

        public Instance(Conv2dGeometry g, Int8Isa isa, bool winograd)
        {
            var rng = new Random(42);
            int inputBytes = g.InChannels * g.InHeight * g.InWidth, outputBytes = g.OutChannels * g.OutHeight * g.OutWidth;
            _args = new QConv2d.Args
            {
                N = 1, C = g.InChannels, H = g.InHeight, W = g.InWidth, OC = g.OutChannels, OH = g.OutHeight, OW = g.OutWidth,
                KH = g.KernelHeight, KW = g.KernelWidth, SH = g.StrideH, SW = g.StrideW, DH = g.DilationH, DW = g.DilationW,
                PadTop = g.PadTop, PadLeft = g.PadLeft, Group = g.Groups,
                XZero = 3, YZero = 5, YMin = 5, YMax = 255, X = 0, Y = (inputBytes + 63) / 64 * 64,
                Weights = [.. Enumerable.Range(0, g.OutChannels * g.InChannels / g.Groups * g.KernelHeight * g.KernelWidth).Select(_ => (sbyte)rng.Next(-127, 128))],
                Bias = [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-5000, 5000))],
                Multiplier = [.. Enumerable.Range(0, g.OutChannels).Select(_ => 0.0005f)],
            };
            _arena = new byte[_args.Y + outputBytes + 64];
            rng.NextBytes(_arena.AsSpan(0, inputBytes));
            _isa = isa;
            _winograd = winograd;
        }

        public void Run()
        {
            using (Int8Dispatch.Force(_isa, _winograd)) QConv2d.Run(_args, _arena);
        }
    }
}
