using QuantuneV2.Kernels;

namespace QuantuneV2.Tests.Kernels;

/// <summary>ISAs to run on this machine, deterministic data and the fp32 tolerance check shared by kernel tests.</summary>
internal static class KernelTestSupport
{
    /// <summary>Every path this machine can run, so one test run covers the SIMD kernels and the fallbacks.</summary>
    public static TheoryData<string> Isas()
    {
        var data = new TheoryData<string>();
        foreach (var isa in Enum.GetValues<KernelIsa>().Where(i => i <= KernelDispatch.Detected))
            data.Add(isa.ToString());
        return data;
    }

    public static IDisposable Force(string isa) => KernelDispatch.Force(Enum.Parse<KernelIsa>(isa));

    public static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    public static double Apply(Activation activation, double x) => activation.Kind switch
    {
        ActivationKind.Relu => Math.Max(x, 0),
        ActivationKind.Clip => Math.Min(Math.Max(x, activation.Min), activation.Max),
        ActivationKind.LeakyRelu => x >= 0 ? x : activation.Alpha * x,
        ActivationKind.HardSwish => x * Math.Clamp(x / 6 + 0.5, 0, 1),
        _ => x,
    };

    public static IEnumerable<Activation> Activations =>
        [Activation.None, Activation.Relu, Activation.Clip(-0.25f, 0.5f), Activation.LeakyRelu(0.1f), Activation.HardSwish];

    /// <summary>
    /// |actual − expected| within fp32 reassociation error: rtol 1e-5 of the magnitude Σ|a||b| (+ |bias|) that
    /// the expected value was summed from, scaled by the activation's Lipschitz constant.
    /// </summary>
    public static void AssertClose(float actual, double expected, double magnitude, string where, Activation activation = default)
    {
        double lipschitz = activation.Kind switch
        {
            ActivationKind.LeakyRelu => Math.Max(1, Math.Abs(activation.Alpha)),
            ActivationKind.HardSwish => 1.5, // the slope x/3 + 1/2 reaches 1.5 at x = 3
            _ => 1,
        };
        double tolerance = 1e-5 * magnitude * lipschitz + 1e-30;
        if (!(Math.Abs(actual - expected) <= tolerance))
            Assert.Fail($"{where}: got {actual}, expected {expected} (tolerance {tolerance:G3})");
    }
}
