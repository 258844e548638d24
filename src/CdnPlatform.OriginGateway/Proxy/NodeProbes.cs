using System.Collections.Concurrent;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>Every node's <see cref="ProbeTally"/>, by destination id: written by the active health policy, read by the status.</summary>
public sealed class NodeProbes
{
    private readonly ConcurrentDictionary<string, ProbeTally> _tallies = new(StringComparer.OrdinalIgnoreCase);

    public ProbeTally Of(string destinationId) => _tallies.GetValueOrDefault(destinationId, ProbeTally.None);

    public ProbeTally Record(string destinationId, ProbeOutcome outcome) =>
        _tallies.AddOrUpdate(destinationId, static (_, got) => ProbeTally.None.After(got), static (_, tally, got) => tally.After(got), outcome);
}
