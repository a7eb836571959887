using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// The one declaration of which passes run, in which order. The CLI, the MSBuild task and the tests
/// all call <see cref="Run"/>, so they see the same fused graph.
/// </summary>
public static class PassPipeline
{
    /// <summary>Clean-up first (so fusions see plain Conv→BN→Act chains), then folding, then fusion.</summary>
    public static IReadOnlyList<IGraphPass> Fp32 { get; } =
    [
        new RemoveIdentities(),
        new FoldConstants(),
        new CanonicalizeFlatten(),
        new EliminateDeadNodes(),
        new FoldBatchNorm(),
        new FuseResidualAdd(),
        new FuseActivation(),
    ];

    public static Graph Run(Graph graph, PassLog log, IReadOnlyList<IGraphPass>? passes = null)
    {
        foreach (var pass in passes ?? Fp32) graph = pass.Run(graph, log);
        return graph;
    }
}
