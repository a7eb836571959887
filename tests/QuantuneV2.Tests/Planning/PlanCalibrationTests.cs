using QuantuneV2.Planning;

namespace QuantuneV2.Tests.Planning;

public class PlanCalibrationTests
{
    [Fact]
    public void EntropyLeavesTheGraphInputItsFullRange()
    {
        // Fashion-MNIST's normalised background (−0.81) is a spike of equal values; Entropy on the input would clip
        // the garment pixels above it (measured: the whole test set's top-1 fell by 11.8 points on ResNet18).
        var minMax = PlanFixture.Plan(new PlanOptions { Fp32Layers = "none" }).Plan;
        var entropy = PlanFixture.Plan(new PlanOptions { Fp32Layers = "none", Method = "entropy" }).Plan;
        var input = minMax.Tensors.Single(t => t.Name == "input");
        Assert.Equal(input, entropy.Tensors.Single(t => t.Name == "input"));
        Assert.True(input.Max > 2f, $"input max {input.Max}: the brightest pixels normalise to ≈ 2.02");
        // Inner activations still get Entropy's own thresholds.
        Assert.Contains(entropy.Tensors, t => t.Name != "input" && t.Max < minMax.Tensors.Single(m => m.Name == t.Name).Max);
    }
}
