using System.Text;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program;

/// <summary>A quantized model's kernel program (docs/generator.md), the text the source generator reads, and the weights it refers to.</summary>
public sealed record ProgramFile(string Text, IReadOnlyList<ProgramWeight> Weights)
{
    /// <summary>
    /// Lowers <paramref name="lowered"/> (the plan's quantized graph) at batch 1, with the plan's layer counts and fp32
    /// layers as metadata, its convolutions' weights packed for the kernels of <paramref name="architectures"/>; a
    /// QuantuneException (QV0010) names an op without a generated kernel.
    /// </summary>
    public static ProgramFile Create(Graph lowered, QuantizationPlan plan, string modelPath, QConv2d.Architectures architectures = QConv2d.Architectures.Both)
    {
        var (program, weights) = ProgramLowering.Lower(lowered.WithBatch(1), modelPath, architectures);
        var s = plan.Summary;
        program.Meta.AddRange([
            new Field("Model", KernelProgram.Escape(plan.Model.File)),
            new Field("Layers", KernelProgram.Int(s.Layers)),
            new Field("Int8Layers", KernelProgram.Int(s.Int8Layers)),
            new Field("Macs", KernelProgram.Int(s.Macs)),
            new Field("Int8Macs", KernelProgram.Int(s.Int8Macs)),
            new Field("Fp32Layers", KernelProgram.List(plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => KernelProgram.Escape(l.Name)))),
        ]);
        return new ProgramFile(program.ToText(), weights.All);
    }

    /// <summary>Writes the program's text atomically.</summary>
    public void SaveText(string path) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(Text)));

    /// <summary>Writes the weights file atomically.</summary>
    public void SaveWeights(string path) => WeightsFile.Save(Weights, path);
}
