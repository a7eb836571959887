using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>One named graph transformation. Passes never change what the graph computes (within float rounding).</summary>
public interface IGraphPass
{
    /// <summary>Kebab-case name used in logs and options, e.g. "fold-batchnorm".</summary>
    string Name { get; }

    Graph Run(Graph graph, PassLog log);
}
