using System.Text;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.IR;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program;

/// <summary>Writes a quantized model's kernel program (docs/generator.md), the text the source generator reads.</summary>
public static class ProgramFile
{
    /// <summary>
    /// Lowers <paramref name="lowered"/> (the plan's quantized graph) at batch 1, with the plan's layer counts and fp32
    /// layers as metadata; a QuantuneException (QV0010) names an op without a generated kernel.
    /// </summary>
    public static string ToText(Graph lowered, QuantizationPlan plan, string modelPath)
    {
        var program = ProgramLowering.Lower(lowered.WithBatch(1), modelPath);
        var s = plan.Summary;
        program.Meta.AddRange([
            new Field("Model", KernelProgram.Escape(plan.Model.File)),
            new Field("Layers", KernelProgram.Int(s.Layers)),
            new Field("Int8Layers", KernelProgram.Int(s.Int8Layers)),
            new Field("Macs", KernelProgram.Int(s.Macs)),
            new Field("Int8Macs", KernelProgram.Int(s.Int8Macs)),
            new Field("Fp32Layers", KernelProgram.List(plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => KernelProgram.Escape(l.Name)))),
        ]);
        return program.ToText();
    }

    /// <summary>Writes a program's text atomically.</summary>
    public static void Save(string text, string path) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
