using QuantuneV2.Data;
using QuantuneV2.Planning;

namespace QuantuneV2.Tests.Planning;

/// <summary>The shared Fashion-MNIST ResNet18 (BatchNorm kept) and a small calibration set, for plan tests.</summary>
internal static class PlanFixture
{
    public const string Model = "models/fmnist/resnet18.bn.onnx";
    public const int CalibrationSamples = 64;

    public static string ModelPath => SharedData.Require(Model);

    public static Dataset Calibration() => Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-calib.json"));

    public static PlanResult Plan(PlanOptions? options = null, int threads = 2) =>
        Planner.Run(ModelPath, Calibration(), options ?? new PlanOptions(), CalibrationSamples, threads);
}
