using System.Text;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Planning.Program;

/// <summary>Writes a quantized model's kernel program (docs/generator.md), the text the source generator reads.</summary>
public static class ProgramFile
{
    /// <summary>Lowers <paramref name="lowered"/> at batch 1; a QuantuneException (QV0010) names an op without a generated kernel.</summary>
    public static string ToText(Graph lowered, string modelPath) => ProgramLowering.Lower(lowered.WithBatch(1), modelPath).ToText();

    /// <summary>Writes a program's text atomically.</summary>
    public static void Save(string text, string path) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
