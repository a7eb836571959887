using QuantuneV2.Core.IR;

namespace QuantuneV2.Zoo;

/// <summary>
/// Seeded stand-ins for normalized ImageNet images: smooth random fields with most of their energy
/// at low spatial frequencies (octaves of bilinearly upsampled noise, amplitude ∝ 1/frequency, as
/// natural images roughly have), a luminance part shared by the three channels plus a smaller
/// per-channel colour part and offset, about zero mean and unit variance like a normalized photo.
/// </summary>
internal static class SyntheticImages
{
    private static readonly int[] Octaves = [2, 4, 8, 16, 32, 64];

    public static Tensor Create(int count, int seed, int size = GraphBuilder.ImageSize)
    {
        var images = Tensor.Zeros(DataType.Float, count, 3, size, size);
        var data = images.Floats;
        int plane = size * size;
        for (int n = 0; n < count; n++)
        {
            var rng = new ZooRandom(seed, $"synthetic-image.{n}");
            var luminance = Field(rng, size);
            for (int c = 0; c < 3; c++)
            {
                var colour = Field(rng, size);
                double offset = 0.3 * rng.NextNormal();
                var target = data.Slice((n * 3 + c) * plane, plane);
                for (int i = 0; i < plane; i++) target[i] = (float)(0.85 * luminance[i] + 0.45 * colour[i] + offset);
            }
        }
        return images;
    }

    /// <summary>A size×size field, standardized to mean 0 and variance 1.</summary>
    private static double[] Field(ZooRandom rng, int size)
    {
        var field = new double[size * size];
        foreach (var cells in Octaves)
        {
            // (cells + 1)² lattice points cover the image; values between them are interpolated bilinearly.
            var lattice = new double[(cells + 1) * (cells + 1)];
            for (int i = 0; i < lattice.Length; i++) lattice[i] = rng.NextNormal() / cells;
            for (int y = 0; y < size; y++)
            {
                double gy = (y + 0.5) * cells / size;
                int iy = (int)gy;
                double fy = gy - iy;
                for (int x = 0; x < size; x++)
                {
                    double gx = (x + 0.5) * cells / size;
                    int ix = (int)gx;
                    double fx = gx - ix;
                    int k = iy * (cells + 1) + ix;
                    double top = lattice[k] + fx * (lattice[k + 1] - lattice[k]);
                    double bottom = lattice[k + cells + 1] + fx * (lattice[k + cells + 2] - lattice[k + cells + 1]);
                    field[y * size + x] += top + fy * (bottom - top);
                }
            }
        }
        double mean = field.Sum() / field.Length;
        double std = Math.Sqrt(field.Sum(v => (v - mean) * (v - mean)) / field.Length);
        for (int i = 0; i < field.Length; i++) field[i] = (field[i] - mean) / std;
        return field;
    }
}
