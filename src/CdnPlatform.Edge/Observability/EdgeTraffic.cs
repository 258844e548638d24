using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// The edge's answers counted by site, cache outcome and status class: plain counters the request path bumps with one
/// interlocked add, read by the metrics exporter only when it is scraped (an observable instrument), so a hit pays
/// no listener call and no tag lookup.
/// </summary>
internal sealed class EdgeTraffic
{
    // Status classes 1xx..5xx at their digit; a code outside 100..599 is counted as "other" (index 0).
    private const int Classes = 6;
    private static readonly string[] ClassLabels = ["other", "1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly IReadOnlyList<Site> _sites;
    private readonly long[] _counts;
    private long _refused;

    public EdgeTraffic(SiteDirectory sites)
    {
        Run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 8);
        _sites = sites.All;
        _counts = new long[_sites.Count * CacheOutcomes.Count * Classes];
    }

    /// <summary>
    /// This run of the edge: a new one each start, when the counters begin again. A reader comparing two readings of
    /// <c>/healthz</c> knows by it that an edge restarted between them even when its counters already passed the old.
    /// </summary>
    public string Run { get; }

    public void Count(Site site, CacheOutcome outcome, int statusCode)
    {
        var statusClass = statusCode / 100;
        if (statusClass is < 1 or > 5)
        {
            statusClass = 0;
        }
        Interlocked.Increment(ref _counts[((site.Index * CacheOutcomes.Count) + (int)outcome) * Classes + statusClass]);
    }

    /// <summary>A request for a Host no site claims, refused with 421.</summary>
    public void CountRefused() => Interlocked.Increment(ref _refused);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Every site's requests so far.</summary>
    public long Requests => Sum(static _ => true);

    /// <summary>Requests answered from the store: hits, stale answers and collapsed ones.</summary>
    public long Hits => Sum(static outcome => outcome is CacheOutcome.Hit or CacheOutcome.Stale or CacheOutcome.Collapsed);

    /// <summary>Every non-zero counter with its labels, for the exporter.</summary>
    public IEnumerable<(string Site, string CacheStatus, string StatusClass, long Count)> Snapshot()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Interlocked.Read(ref _counts[i]);
            if (count > 0)
            {
                var statusClass = i % Classes;
                var outcome = (CacheOutcome)(i / Classes % CacheOutcomes.Count);
                var site = _sites[i / Classes / CacheOutcomes.Count];
                yield return (site.Name, CacheOutcomes.Token(outcome), ClassLabels[statusClass], count);
            }
        }
    }

    private long Sum(Func<CacheOutcome, bool> counted)
    {
        long sum = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (counted((CacheOutcome)(i / Classes % CacheOutcomes.Count)))
            {
                sum += Interlocked.Read(ref _counts[i]);
            }
        }
        return sum;
    }
}
