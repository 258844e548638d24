namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// The edge's Prometheus metrics (<c>Edge:Metrics</c>, docs/metrics.md). On by default; off, the edge counts nothing
/// per request and answers <c>/metrics</c> 404: how bench/observability-overhead.sh measures what they cost.
/// </summary>
public sealed record EdgeMetricsOptions
{
    public const string Section = "Metrics";

    public bool Enabled { get; init; } = true;
}
