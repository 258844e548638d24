using System.Collections.Concurrent;
using HdrHistogram;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Recording;

/// <summary>
/// What a run measured: outcomes per POP and per datacenter, closed into one timeline entry per second, and the events
/// to mark on it. Recording is safe from any thread; <see cref="CloseSecond"/> and <see cref="Report"/> are the sampler's.
/// </summary>
public sealed class LoadRecorder
{
    private static readonly int Kinds = Enum.GetValues<ErrorKind>().Length;

    private readonly GroupRecorder[] _pops;
    private readonly ConcurrentDictionary<string, GroupRecorder> _datacenters = new(StringComparer.Ordinal);
    private readonly LongHistogram _total = GroupRecorder.NewHistogram();
    // One second over every POP, reset at each close rather than made anew (see GroupRecorder's _closed).
    private readonly LongHistogram _second = GroupRecorder.NewHistogram();
    // Answers' service time (actual send → end), over the whole run only: a figure to set beside a closed-model tool's.
    private readonly Recorder _serviceTime = new(1, GroupRecorder.HighestMicroseconds, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private readonly long[] _totalErrors = new long[Kinds];
    private readonly List<TimelineSecond> _timeline = [];
    private readonly ConcurrentQueue<TimelineEvent> _events = new();
    private readonly ConcurrentQueue<TimelineEvent> _fresh = new();
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private readonly TimeProvider _time;
    private long _totalRequests;
    private long _totalHits;
    private long _totalCacheAnswers;
    private long _totalBytes;
    private long _start;

    public LoadRecorder(IReadOnlyList<string> pops, TimeProvider time)
    {
        _pops = [.. pops.Select(p => new GroupRecorder(p))];
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Called when the load starts: the timeline and events count from here.</summary>
    public void Started() => _start = _time.GetTimestamp();

    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>How long after the load's start <paramref name="timestamp"/> (of the run's clock) was.</summary>
    public TimeSpan Since(long timestamp) => _time.GetElapsedTime(_start, timestamp);

    /// <summary>Where every request is also written, when the run traces them; null otherwise.</summary>
    public RequestTrace? Trace { get; init; }

    /// <summary>The name of POP number <paramref name="pop"/>.</summary>
    public string PopName(int pop) => _pops[pop].Name;

    /// <summary>How many errors are kept as samples for the report.</summary>
    public const int ErrorSampleLimit = 20;

    public IReadOnlyList<TimelineSecond> Timeline => _timeline;

    /// <summary>Keeps an error's description for the report, while fewer than <see cref="ErrorSampleLimit"/> are kept.</summary>
    public void SampleError(Func<string> describe)
    {
        if (_errorSamples.Count < ErrorSampleLimit)
        {
            _errorSamples.Enqueue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Elapsed.TotalSeconds:0.000}s {describe()}"));
        }
    }

    public void Record(int pop, in RequestOutcome outcome)
    {
        _pops[pop].Record(outcome);
        if (outcome.ServiceTime > TimeSpan.Zero)
        {
            _serviceTime.RecordValue(Math.Clamp(outcome.ServiceTime.Ticks / TimeSpan.TicksPerMicrosecond, 1, GroupRecorder.HighestMicroseconds));
        }
        if (outcome.Datacenter is { } datacenter)
        {
            _datacenters.GetOrAdd(datacenter, name => new GroupRecorder(name)).Record(outcome);
        }
    }

    /// <summary>Marks an event now on the timeline.</summary>
    public TimelineEvent Mark(string kind, string label, double? seconds = null, TimeSpan? at = null)
    {
        var timelineEvent = new TimelineEvent(Math.Round((at ?? Elapsed).TotalSeconds, 3), kind, label, seconds is { } s ? Math.Round(s, 4) : null);
        _events.Enqueue(timelineEvent);
        _fresh.Enqueue(timelineEvent);
        return timelineEvent;
    }

    /// <summary>The events marked since the last call, for the progress display.</summary>
    public IReadOnlyList<TimelineEvent> TakeNewEvents()
    {
        var taken = new List<TimelineEvent>();
        while (_fresh.TryDequeue(out var e))
        {
            taken.Add(e);
        }
        return taken;
    }

    /// <summary>Closes the current second of every group into one timeline entry.</summary>
    /// <param name="targetRate">What the schedule asked for in this second; null for a closed model.</param>
    public TimelineSecond CloseSecond(double? targetRate)
    {
        var second = _timeline.Count;
        var all = _second;
        all.Reset();
        var errors = new long[Kinds];
        long requests = 0, hits = 0, cacheAnswers = 0;
        var pops = new List<PopSecond>(_pops.Length);
        foreach (var pop in _pops)
        {
            var closed = pop.Close();
            all.Add(closed.Histogram);
            requests += closed.Requests;
            hits += closed.Hits;
            cacheAnswers += closed.CacheAnswers;
            _totalBytes += closed.Bytes;
            for (var k = 0; k < Kinds; k++)
            {
                errors[k] += closed.Errors[k];
                _totalErrors[k] += closed.Errors[k];
            }
            pops.Add(new PopSecond(pop.Name, closed.Requests, GroupRecorder.Summarize(closed.Histogram, closed.Requests), closed.Hits, closed.CacheAnswers, closed.Errors.Sum()));
        }
        foreach (var datacenter in _datacenters.Values)
        {
            datacenter.Close();
        }
        _total.Add(all);
        _totalRequests += requests;
        _totalHits += hits;
        _totalCacheAnswers += cacheAnswers;
        var entry = new TimelineSecond(second, targetRate is { } r ? Math.Round(r, 2) : null, requests, GroupRecorder.Summarize(all, requests),
            hits, cacheAnswers, errors.Sum(), pops, GroupRecorder.ErrorsByKind(errors));
        _timeline.Add(entry);
        return entry;
    }

    /// <summary>The report of everything closed so far. Call <see cref="CloseSecond"/> first for the last, partial second.</summary>
    public LoadReport Report(string scenario, string model, DateTimeOffset startedAt, TimeSpan duration, double? requestedRate,
        IReadOnlyList<Thresholds.Threshold> thresholds, bool interrupted)
    {
        var seconds = duration.TotalSeconds;
        var total = GroupRecorder.FiguresOf("all", _total, _totalRequests, _totalHits, _totalCacheAnswers, _totalErrors, _totalBytes, seconds);
        var report = new LoadReport(scenario, model, startedAt, Math.Round(seconds, 3), requestedRate, total,
            [.. _pops.Select(p => p.Figures(seconds))],
            [.. _datacenters.Values.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => d.Figures(seconds))],
            [.. _timeline],
            [.. _events.OrderBy(e => e.At)],
            [],
            interrupted);
        var serviceTime = _serviceTime.GetIntervalHistogram();
        return report with
        {
            Thresholds = [.. thresholds.Select(t => t.Evaluate(report))],
            ErrorSamples = [.. _errorSamples.Take(ErrorSampleLimit)],
            ServiceTime = GroupRecorder.Summarize(serviceTime, serviceTime.TotalCount),
        };
    }
}
