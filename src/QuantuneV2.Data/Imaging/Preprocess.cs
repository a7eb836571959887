using QuantuneV2.Data.Spec;

namespace QuantuneV2.Data.Imaging;

/// <summary>
/// Turns one 8-bit interleaved image (height x width x channels) into a model input, in this fixed order:
/// colour (rgb / bgr / gray), resize, center crop, pad, then <c>x = (p * scale - mean[c]) / std[c]</c> per
/// output channel, written NCHW or NHWC with a leading batch dim of 1. Shared by the <c>images</c> and
/// <c>raw</c> kinds, so both preprocess identically.
/// </summary>
internal sealed class Preprocess
{
    private readonly int _sourceChannels;
    private readonly bool _toGray;
    private readonly int[] _channelMap;
    private readonly int[]? _resize;
    private readonly int[]? _crop;
    private readonly int _pad;
    private readonly byte _padValue;
    private readonly bool _channelsLast;

    // Pixels are bytes, so the whole normalisation is a lookup: 256 floats per output channel,
    // computed in double once so that scale 1/255 and a mean/std round like the reference formula.
    private readonly float[] _table;

    private Preprocess(int sourceChannels, bool toGray, int[] channelMap, int[]? resize, int[]? crop, int pad, byte padValue, bool channelsLast, float[] table)
    {
        _sourceChannels = sourceChannels;
        _toGray = toGray;
        _channelMap = channelMap;
        _resize = resize;
        _crop = crop;
        _pad = pad;
        _padValue = padValue;
        _channelsLast = channelsLast;
        _table = table;
    }

    public int Channels => _channelMap.Length;

    /// <param name="spec">The <c>preprocess</c> object (may be absent: all defaults).</param>
    /// <param name="sourceChannels">Channels of the decoded pixels: 1 (gray) or 3 (RGB).</param>
    public static Preprocess Parse(SpecObject spec, int sourceChannels)
    {
        var color = spec.Choice("color", "rgb", "bgr", "gray") ?? (sourceChannels == 1 ? "gray" : "rgb");
        var resize = spec.Ints("resize", 1);
        var crop = spec.Ints("crop", 1);
        var pad = spec.Int("pad", 0) ?? 0;
        var padValue = spec.Int("padValue", 0) ?? 0;
        var scale = spec.Number("scale") ?? 1.0;
        var mean = spec.Numbers("mean") ?? [0.0];
        var std = spec.Numbers("std") ?? [1.0];
        var layout = spec.Choice("layout", "NCHW", "NHWC") ?? "NCHW";
        spec.RejectUnknownFields();

        if (resize is { Length: not (1 or 2) }) throw spec.Error("resize", "must be the shorter side (one number) or [height, width]");
        if (crop is { Length: not (1 or 2) }) throw spec.Error("crop", "must be a size (one number, square) or [height, width]");
        if (padValue > 255) throw spec.Error("padValue", $"is a raw pixel value 0..255, got {padValue}");

        int[] map = color switch
        {
            "gray" => [0],
            _ when sourceChannels == 1 => [0, 0, 0],
            "bgr" => [2, 1, 0],
            _ => [0, 1, 2],
        };
        if (mean.Length != 1 && mean.Length != map.Length) throw spec.Error("mean", $"needs 1 or {map.Length} values (one per output channel), got {mean.Length}");
        if (std.Length != 1 && std.Length != map.Length) throw spec.Error("std", $"needs 1 or {map.Length} values (one per output channel), got {std.Length}");
        if (std.Contains(0.0)) throw spec.Error("std", "must not be 0");

        var table = new float[map.Length * 256];
        for (int c = 0; c < map.Length; c++)
        {
            double m = mean[mean.Length == 1 ? 0 : c], s = std[std.Length == 1 ? 0 : c];
            for (int p = 0; p < 256; p++) table[c * 256 + p] = (float)((p * scale - m) / s);
        }
        var squareCrop = crop is { Length: 1 } ? [crop[0], crop[0]] : crop;
        return new Preprocess(sourceChannels, color == "gray" && sourceChannels == 3, map, resize, squareCrop, pad, (byte)padValue, layout == "NHWC", table);
    }

    /// <summary>Size after resize, crop and pad of a <paramref name="height"/> x <paramref name="width"/> image; QV0031 naming <paramref name="file"/> when the crop does not fit.</summary>
    public (int Height, int Width) OutputSize(int height, int width, string file)
    {
        var (h, w) = Resized(height, width);
        if (_crop is not null && (_crop[0] > h || _crop[1] > w))
            throw DatasetErrors.Data(file, $"is {w}x{h} (width x height) after resizing, smaller than the crop {_crop[1]}x{_crop[0]}: set or raise preprocess.resize");
        return ((_crop?[0] ?? h) + 2 * _pad, (_crop?[1] ?? w) + 2 * _pad);
    }

    /// <summary>The input tensor dims for an output of this size: [1,C,H,W] or [1,H,W,C].</summary>
    public int[] Dims(int height, int width) => _channelsLast ? [1, height, width, Channels] : [1, Channels, height, width];

    /// <summary>Preprocesses one image; <paramref name="destination"/> holds exactly the elements of <see cref="Dims"/> for its <see cref="OutputSize"/>.</summary>
    public void Run(ReadOnlySpan<byte> pixels, int height, int width, Span<float> destination)
    {
        int channels = _sourceChannels;
        if (_toGray)
        {
            var gray = new byte[height * width];
            ToGray(pixels, gray);
            pixels = gray;
            channels = 1;
        }
        var (h, w) = Resized(height, width);
        if (h != height || w != width)
        {
            var resized = new byte[h * w * channels];
            BilinearResize.Resize(pixels, height, width, channels, resized, h, w);
            pixels = resized;
        }
        Normalize(pixels, h, w, channels, destination);
    }

    private (int Height, int Width) Resized(int height, int width)
    {
        if (_resize is null) return (height, width);
        if (_resize.Length == 2) return (_resize[0], _resize[1]);
        // torchvision Resize(int): the shorter side becomes s, the longer int(s * long / short), truncated.
        int s = _resize[0];
        return height <= width ? (s, (int)((double)s * width / height)) : ((int)((double)s * height / width), s);
    }

    /// <summary>Center crop, pad, normalise and lay out in one pass: pixels outside the crop window read as the pad value.</summary>
    private void Normalize(ReadOnlySpan<byte> pixels, int height, int width, int channels, Span<float> destination)
    {
        int cropH = _crop?[0] ?? height, cropW = _crop?[1] ?? width;
        // Math.Round rounds half to even, as Python's round() in torchvision's center_crop does.
        int top = (int)Math.Round((height - cropH) / 2.0), left = (int)Math.Round((width - cropW) / 2.0);
        int outH = cropH + 2 * _pad, outW = cropW + 2 * _pad, outC = Channels, plane = outH * outW;
        var table = _table.AsSpan();
        for (int oy = 0; oy < outH; oy++)
        {
            int iy = oy - _pad;
            bool rowInside = (uint)iy < (uint)cropH;
            int rowStart = (iy + top) * width;
            for (int ox = 0; ox < outW; ox++)
            {
                int ix = ox - _pad;
                bool inside = rowInside && (uint)ix < (uint)cropW;
                int pixel = (rowStart + ix + left) * channels;
                int o = oy * outW + ox;
                for (int c = 0; c < outC; c++)
                {
                    int p = inside ? pixels[pixel + _channelMap[c]] : _padValue;
                    destination[_channelsLast ? o * outC + c : c * plane + o] = table[c * 256 + p];
                }
            }
        }
    }

    /// <summary>Pillow's RGB to L conversion (ITU-R 601-2 luma in 16-bit fixed point), as <c>Image.convert("L")</c>.</summary>
    private static void ToGray(ReadOnlySpan<byte> rgb, Span<byte> gray)
    {
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)((rgb[3 * i] * 19595 + rgb[3 * i + 1] * 38470 + rgb[3 * i + 2] * 7471 + 0x8000) >> 16);
    }
}
