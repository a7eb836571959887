using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Manifest;

namespace QuantuneV2.Benchmarks;

/// <summary>
/// "profile PROGRAM.txt WEIGHTS": runs a kernel program (as the build writes it, obj/.../quantune/) step by step
/// through reflection, the way the generated class calls the same kernels, and prints each step's best time over
/// repeated runs (and its median, which is what a whole inference meets), the convolutions' G MAC/s at the best
/// time, then the totals per kernel. It tells where a generated model's time goes; the generated class itself
/// is what docs/benchmarks.md measures.
/// </summary>
public static class ProgramProfile
{
    private const int Warmup = 40;

    public static void Run(string programPath, string weightsPath, int repeats = 20)
    {
        var program = KernelProgram.Parse(File.ReadAllText(programPath));
        ModelWeights weights;
        using (var stream = File.OpenRead(weightsPath)) weights = ModelWeights.Read(stream);
        var steps = program.Steps.Select(s => (s, Run: Bind(s, weights))).ToArray();
        var arena = Arena.Allocate(checked((int)program.ArenaBytes));
        var random = new Random(7);
        var image = new float[program.Inputs[0].Elements];
        for (int i = 0; i < image.Length; i++) image[i] = (float)(random.NextDouble() * 2 - 1);
        var times = new double[repeats, steps.Length];
        // Warm-up runs first: kernels not marked AggressiveOptimization (the fp32 ones) start unoptimized and are
        // recompiled after 30 calls and a quiet 100 ms.
        for (int r = 0; r < Warmup + repeats; r++)
        {
            if (r == Warmup) Thread.Sleep(500);
            // Later steps reuse the input's bytes; as the generated class does, each run starts from a fresh copy.
            image.CopyTo(Arena.Floats(arena.Span, (int)program.Inputs[0].At, image.Length));
            for (int i = 0; i < steps.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                steps[i].Run(arena);
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (r >= Warmup) times[r - Warmup, i] = ms;
            }
        }
        var best = new double[steps.Length];
        var median = new double[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            var column = Enumerable.Range(0, repeats).Select(r => times[r, i]).Order().ToArray();
            best[i] = column[0];
            median[i] = column[repeats / 2];
        }
        Console.WriteLine($"{"",4} {"kernel",-20} {"best",8}    {"median",8}");
        for (int i = 0; i < steps.Length; i++)
            Console.WriteLine($"{i,4} {steps[i].s.Kernel,-20} {best[i],8:F3} ms {median[i],8:F3} ms  {Describe(steps[i].s, best[i])}");
        Console.WriteLine();
        foreach (var g in steps.Select((s, i) => (s.s.Kernel, Ms: best[i])).GroupBy(p => p.Kernel).OrderByDescending(g => g.Sum(p => p.Ms)))
            Console.WriteLine($"{g.Key,-20} {g.Sum(p => p.Ms),8:F3} ms in {g.Count()} steps");
        Console.WriteLine($"{"total",-20} {best.Sum(),8:F3} ms (sum of each step's best; of its median {median.Sum():F3} ms)");
    }

    private static string Describe(KernelStep s, double ms)
    {
        string Get(string key) => s.Args.FirstOrDefault(a => a.Key == key)?.Value ?? "?";
        long Number(string key) => KernelProgram.ParseLong(Get(key));
        if (s.Kernel is not ("QConv2d" or "Conv2d")) return "";
        double macs = (double)Number("N") * Number("OH") * Number("OW") * Number("OC") * Number("KH") * Number("KW") * Number("C") / Number("Group");
        return $"{Get("C")}->{Get("OC")} {Get("KH")}x{Get("KW")}/{Get("SH")} g{Get("Group")} out {Get("OH")}x{Get("OW")}  {macs / ms / 1e6,6:F1} G MAC/s";
    }

    /// <summary>The step's Args object with every field set from the program, and its Run.</summary>
    private static Action<Memory<byte>> Bind(KernelStep step, ModelWeights weights)
    {
        var kernel = typeof(QConv2d).Assembly.GetType($"QuantuneV2.Kernels.Program.{step.Kernel}") ?? throw new InvalidOperationException($"no kernel {step.Kernel}");
        var argsType = kernel.GetNestedType("Args")!;
        var args = Activator.CreateInstance(argsType)!;
        foreach (var field in step.Args)
        {
            var f = argsType.GetField(field.Key) ?? throw new InvalidOperationException($"{step.Kernel}.Args has no {field.Key}");
            f.SetValue(args, Value(field.Value, f.FieldType, weights));
        }
        var run = kernel.GetMethod("Run", [argsType, typeof(Span<byte>)])!;
        var call = (RunDelegate)Delegate.CreateDelegate(typeof(RunDelegate), MakeCaller(run, argsType), "Invoke");
        return arena => call(args, arena);
    }

    private delegate void RunDelegate(object args, Memory<byte> arena);

    private delegate void RunDelegate<T>(T args, Span<byte> arena);

    private static object MakeCaller(MethodInfo run, Type argsType) =>
        Activator.CreateInstance(typeof(Caller<>).MakeGenericType(argsType), run.CreateDelegate(typeof(RunDelegate<>).MakeGenericType(argsType)))!;

    private sealed class Caller<T>(RunDelegate<T> run)
    {
        public void Invoke(object args, Memory<byte> arena) => run((T)args, arena.Span);
    }

    private static object? Value(string v, Type type, ModelWeights w)
    {
        if (v.StartsWith('#'))
        {
            int index = int.Parse(v[1..v.IndexOf(':')], CultureInfo.InvariantCulture);
            return v[(v.IndexOf(':') + 1)..] switch { "s8" => w.SBytes(index), "s16" => w.Shorts(index), "s32" => w.Ints(index), _ => w.Floats(index) };
        }
        if (type == typeof(bool)) return v == "true";
        if (type == typeof(int)) return (int)KernelProgram.ParseLong(v);
        if (type == typeof(float)) return BitConverter.Int32BitsToSingle(KernelProgram.FloatBits(v));
        if (type == typeof(int[])) return KernelProgram.ListItems(v).Select(i => (int)KernelProgram.ParseLong(i)).ToArray();
        if (type == typeof(float[])) return KernelProgram.ListItems(v).Select(i => BitConverter.Int32BitsToSingle(KernelProgram.FloatBits(i))).ToArray();
        throw new InvalidOperationException($"no conversion to {type}");
    }
}
