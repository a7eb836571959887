namespace QuantuneV2.Data.Imaging;

/// <summary>
/// Bilinear resize of an 8-bit interleaved image, computed as Pillow (9.x) does for
/// <c>Image.resize(size, BILINEAR)</c>, which is what torchvision's <c>Resize</c> runs on PIL images:
/// a separable triangle filter whose support widens by the scale factor when shrinking (so it
/// antialiases), fixed-point coefficients with 22 fraction bits, a horizontal pass rounded to 8 bits,
/// then a vertical pass. Matching it keeps our inputs equal to the ones models were evaluated with.
/// </summary>
internal static class BilinearResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static void Resize(ReadOnlySpan<byte> source, int height, int width, int channels, Span<byte> destination, int outHeight, int outWidth)
    {
        if (outWidth == width)
        {
            Vertical(source, width * channels, height, destination, outHeight);
            return;
        }
        if (outHeight == height)
        {
            Horizontal(source, height, width, channels, destination, outWidth);
            return;
        }
        var temp = new byte[height * outWidth * channels];
        Horizontal(source, height, width, channels, temp, outWidth);
        Vertical(temp, outWidth * channels, height, destination, outHeight);
    }

    private static void Horizontal(ReadOnlySpan<byte> source, int height, int width, int channels, Span<byte> destination, int outWidth)
    {
        var (first, count, weights, k) = Coefficients(width, outWidth);
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width * channels, width * channels);
            var outRow = destination.Slice(y * outWidth * channels, outWidth * channels);
            for (int x = 0; x < outWidth; x++)
            {
                var w = weights.AsSpan(x * k, count[x]);
                for (int c = 0; c < channels; c++)
                {
                    int sum = 1 << (PrecisionBits - 1);
                    for (int i = 0; i < w.Length; i++) sum += row[(first[x] + i) * channels + c] * w[i];
                    outRow[x * channels + c] = Clip(sum);
                }
            }
        }
    }

    /// <summary>Resizes rows of <paramref name="rowLength"/> bytes: each output row blends whole input rows.</summary>
    private static void Vertical(ReadOnlySpan<byte> source, int rowLength, int height, Span<byte> destination, int outHeight)
    {
        var (first, count, weights, k) = Coefficients(height, outHeight);
        for (int y = 0; y < outHeight; y++)
        {
            var w = weights.AsSpan(y * k, count[y]);
            var outRow = destination.Slice(y * rowLength, rowLength);
            for (int j = 0; j < rowLength; j++)
            {
                int sum = 1 << (PrecisionBits - 1);
                for (int i = 0; i < w.Length; i++) sum += source[(first[y] + i) * rowLength + j] * w[i];
                outRow[j] = Clip(sum);
            }
        }
    }

    private static byte Clip(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    /// <summary>For each output position: the first input index, how many inputs it blends, and fixed-point weights (stride <c>k</c>).</summary>
    private static (int[] First, int[] Count, int[] Weights, int K) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int k = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * k];
        var w = new double[k];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            // (int) truncates toward zero as the C casts in Pillow do.
            int min = Math.Max((int)(center - support + 0.5), 0);
            int n = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0, reciprocal = 1.0 / filterScale;
            for (int i = 0; i < n; i++)
            {
                w[i] = Triangle((i + min - center + 0.5) * reciprocal);
                total += w[i];
            }
            for (int i = 0; i < n; i++)
            {
                double v = total != 0 ? w[i] / total : w[i];
                weights[o * k + i] = (int)(v < 0 ? -0.5 + v * (1 << PrecisionBits) : 0.5 + v * (1 << PrecisionBits));
            }
            first[o] = min;
            count[o] = n;
        }
        return (first, count, weights, k);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
