using System.Diagnostics.Metrics;
using System.Globalization;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Purging;
using CdnPlatform.Edge.Tls;
using CdnPlatform.Observability;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// The edge's instruments (meter <c>CdnPlatform.Edge</c>), exported at <c>/metrics</c> under Prometheus names:
/// <c>cdn_edge_requests_total</c>, <c>cdn_edge_refused_requests_total</c>, <c>cdn_edge_origin_fetch_duration_seconds</c>,
/// <c>cdn_edge_cache_size_bytes</c>, <c>cdn_edge_cache_entries</c>, <c>cdn_edge_cache_evictions_total</c>,
/// <c>cdn_edge_purge_lag</c>, <c>cdn_edge_access_log_dropped_total</c>, <c>cdn_edge_tls_certificate_expiry_time_seconds</c>
/// (with TLS). docs/metrics.md lists them with their labels.
/// </summary>
internal sealed class EdgeMetrics
{
    public const string MeterName = "CdnPlatform.Edge";

    private readonly Histogram<double> _originFetch;

    public EdgeMetrics(IMeterFactory meters, EdgeTraffic traffic, MemoryCacheStore store, PurgeListener purges, AccessLogWriter accessLog,
        ServerCertificates? certificates = null)
    {
        var meter = meters.Create(MeterName);
        // Counted by the request path in plain counters and read here at scrape time (EdgeTraffic says why).
        meter.CreateObservableCounter("cdn.edge.requests", () => traffic.Snapshot().Select(static c =>
            new Measurement<long>(c.Count, new("site", c.Site), new("cache_status", c.CacheStatus), new("status_class", c.StatusClass))),
            unit: "{request}", description: "Requests answered for a site, by cache status (hit, stale, collapsed, miss, pass, generated) and status class.");
        meter.CreateObservableCounter("cdn.edge.refused_requests", () => traffic.Refused,
            unit: "{request}", description: "Requests for a Host no site claims, refused with 421 and never forwarded.");
        _originFetch = meter.CreateHistogram("cdn.edge.origin_fetch.duration", unit: "s",
            description: "Origin fetches from the first byte sent to the last byte forwarded, by site and result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = NodeMetrics.SecondsBuckets });
        meter.CreateObservableGauge("cdn.edge.cache.size", () => store.SizeBytes, unit: "By",
            description: "Bytes the store holds, entries' bookkeeping included (the budget's measure).");
        meter.CreateObservableGauge("cdn.edge.cache.entries", () => (long)store.Count, unit: "{entry}", description: "Entries in the store.");
        meter.CreateObservableCounter("cdn.edge.cache.evictions", () => store.Evictions, unit: "{entry}",
            description: "Entries evicted to keep the store within its budget.");
        meter.CreateObservableGauge("cdn.edge.purge.lag", () => purges.Lag, unit: "{purge}",
            description: "Purge log entries appended (as far as this edge has heard) and not yet applied here.");
        meter.CreateObservableCounter("cdn.edge.access_log.dropped", () => accessLog.Dropped, unit: "{line}",
            description: "Access log lines dropped: the writer was behind, or the output refused them.");
        if (certificates is not null)
        {
            // A time, not a countdown: an alert compares it with the scraper's clock (expiry_time - time() < 14 days).
            meter.CreateObservableGauge("cdn.edge.tls.certificate.expiry_time", () => certificates.Current.Leaves.Select(static (c, i) =>
                new Measurement<long>(new DateTimeOffset(c.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(),
                    new("certificate", i.ToString(CultureInfo.InvariantCulture)), new("subject", c.Subject))),
                unit: "s", description: "When each served certificate (Edge:Tls:Certificates:N) expires, in Unix time; follows reloads.");
        }
    }

    public void RecordOriginFetch(string site, string result, TimeSpan elapsed) =>
        _originFetch.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("site", site), new KeyValuePair<string, object?>("result", result));
}
