using HdrHistogram;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Recording;

/// <summary>
/// The counts of one group of requests (a POP, or a datacenter's answers). Any thread records; the sampler alone
/// closes seconds. Latencies go to an HdrHistogram <see cref="Recorder"/> in microseconds (3 significant digits, up
/// to an hour), so closing a second swaps its interval histogram without stopping the writers.
/// </summary>
internal sealed class GroupRecorder
{
    public const long HighestMicroseconds = 3_600_000_000;
    private static readonly int Kinds = Enum.GetValues<ErrorKind>().Length;

    private readonly Recorder _interval = new(1, HighestMicroseconds, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private readonly long[] _errors = new long[Kinds];
    // The last closed second's histogram, handed back to the recorder at the next close. Each is ~190 KB (an hour in µs
    // at 3 digits), a large-object allocation: a new one per group per second grew the large-object heap until a
    // blocking gen-2 collection paused requests in flight, right after each second's close (found with --trace).
    private HistogramBase? _closed;
    private readonly long[] _totalErrors = new long[Kinds];
    private long _requests;
    private long _hits;
    private long _cacheAnswers;
    private long _bytes;
    private long _totalRequests;
    private long _totalHits;
    private long _totalCacheAnswers;
    private long _totalBytes;

    public GroupRecorder(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Every closed second's latencies; the sampler's alone.</summary>
    public LongHistogram Total { get; } = NewHistogram();

    public static LongHistogram NewHistogram() => new(1, HighestMicroseconds, 3);

    public void Record(in RequestOutcome outcome)
    {
        _interval.RecordValue(Math.Clamp((long)(outcome.Latency.Ticks / TimeSpan.TicksPerMicrosecond), 1, HighestMicroseconds));
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytes, outcome.Bytes);
        if (outcome.CacheAnswer)
        {
            Interlocked.Increment(ref _cacheAnswers);
            if (outcome.Hit)
            {
                Interlocked.Increment(ref _hits);
            }
        }
        if (outcome.Error is { } error)
        {
            Interlocked.Increment(ref _errors[(int)error]);
        }
    }

    /// <summary>
    /// Closes the second: what was recorded since the last close, added to the totals too. The returned histogram is
    /// valid until the next call, which reuses it.
    /// </summary>
    public ClosedSecond Close()
    {
        var histogram = _closed is null ? _interval.GetIntervalHistogram() : _interval.GetIntervalHistogram(_closed);
        _closed = histogram;
        var requests = Interlocked.Exchange(ref _requests, 0);
        var hits = Interlocked.Exchange(ref _hits, 0);
        var cacheAnswers = Interlocked.Exchange(ref _cacheAnswers, 0);
        var bytes = Interlocked.Exchange(ref _bytes, 0);
        var errors = new long[Kinds];
        for (var k = 0; k < Kinds; k++)
        {
            errors[k] = Interlocked.Exchange(ref _errors[k], 0);
            _totalErrors[k] += errors[k];
        }
        Total.Add(histogram);
        _totalRequests += requests;
        _totalHits += hits;
        _totalCacheAnswers += cacheAnswers;
        _totalBytes += bytes;
        return new ClosedSecond(Name, histogram, requests, hits, cacheAnswers, errors, bytes);
    }

    public GroupFigures Figures(double seconds) =>
        FiguresOf(Name, Total, _totalRequests, _totalHits, _totalCacheAnswers, _totalErrors, _totalBytes, seconds);

    public static GroupFigures FiguresOf(string name, HistogramBase histogram, long requests, long hits, long cacheAnswers, long[] errors, long bytes, double seconds) =>
        new(name, requests, seconds > 0 ? requests / seconds : 0, Summarize(histogram, requests), hits, cacheAnswers, errors.Sum(), ErrorsByKind(errors), bytes);

    public static LatencySummary Summarize(HistogramBase histogram, long requests)
    {
        if (requests == 0 || histogram.TotalCount == 0)
        {
            return LatencySummary.Empty;
        }
        static double Ms(long micros) => micros / 1000.0;
        return new LatencySummary(
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)),
            Ms(histogram.GetMaxValue()),
            histogram.GetMean() / 1000.0);
    }

    public static Dictionary<string, long> ErrorsByKind(long[] errors)
    {
        var byKind = new Dictionary<string, long>();
        for (var k = 0; k < errors.Length; k++)
        {
            if (errors[k] > 0)
            {
                byKind[ErrorKinds.Name((ErrorKind)k)] = errors[k];
            }
        }
        return byKind;
    }
}
