using System.Diagnostics.Metrics;
using CdnPlatform.Observability;

namespace CdnPlatform.Control.Observability;

/// <summary>
/// How long purges take to reach the edges, from the API's acceptance: <c>cdn_control_purge_edge_ack_seconds</c> per
/// edge's acknowledgement, <c>cdn_control_purge_duration_seconds</c> until the last expected edge acknowledged, and
/// <c>cdn_control_purge_requests_total</c> by outcome (accepted, rejected, forbidden, rate-limited, unavailable).
/// </summary>
public sealed class PurgeMetrics
{
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _edgeAck;
    private readonly Histogram<double> _complete;

    public PurgeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ControlMeter.Name);
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = NodeMetrics.SecondsBuckets };
        _requests = meter.CreateCounter<long>("cdn.control.purge.requests", unit: "{request}",
            description: "Purge requests answered (401s aside), by outcome: accepted, rejected, forbidden, rate-limited, unavailable.");
        _edgeAck = meter.CreateHistogram("cdn.control.purge.edge_ack", unit: "s", advice: buckets,
            description: "From a purge's acceptance to an edge's acknowledgement that it applied it, by edge.");
        _complete = meter.CreateHistogram("cdn.control.purge.duration", unit: "s", advice: buckets,
            description: "From a purge's acceptance to the acknowledgement of the last edge expected, by site.");
    }

    public void Requested(string outcome) => _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void EdgeAcknowledged(string edge, TimeSpan afterAcceptance) =>
        _edgeAck.Record(afterAcceptance.TotalSeconds, new KeyValuePair<string, object?>("edge", edge));

    public void Completed(string site, TimeSpan afterAcceptance) =>
        _complete.Record(afterAcceptance.TotalSeconds, new KeyValuePair<string, object?>("site", site));
}
