using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// Gemm and FusedGemm (constant B and C, A not transposed) → kernel Gemm: y = act(Alpha·x·op(B) + Beta·C),
/// C broadcast to [M, N] by its strides (CRowStride, CColStride; 0 repeats).
/// </summary>
internal static class GemmStep
{
    public static KernelStep Lower(StepContext c)
    {
        if (c.Attributes.Int("transA", 0) != 0) throw c.Fail("transA is not supported by the generated Gemm");
        var a = c.Dims(0);
        var y = c.OutputDims;
        c.Int("M", a[0]).Int("K", a[1]).Int("N", y[1]).Bool("TransB", c.Attributes.Int("transB", 0) != 0)
            .Float("Alpha", c.Attributes.Float("alpha", 1f)).Float("Beta", c.Attributes.Float("beta", 1f));
        ActivationFields.Add(c);
        c.At("X", 0).OutputAt("Y").Weight("B", 1);
        if (c.HasInput(2))
        {
            var cd = c.Dims(2);
            // Broadcast [N], [1, N], [M, 1], [M, N] or a scalar to [M, N].
            int[] full = cd.Length switch { 0 => [1, 1], 1 => [1, cd[0]], _ => cd };
            c.Weight("C", 2).Int("CRowStride", full[0] == 1 ? 0 : full[1]).Int("CColStride", full[1] == 1 ? 0 : 1);
        }
        return c.Step("Gemm");
    }
}
