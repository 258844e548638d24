namespace CdnPlatform.LoadTest.Reporting;

/// <summary>One second of load: what ended in it, over every POP and per POP.</summary>
/// <param name="Second">Seconds from the start of the load (0 is the first second).</param>
/// <param name="TargetRate">The arrival rate the schedule asked for in this second (open model); null for a closed model.</param>
/// <param name="Pops">The same second per POP, in the order of the report's POPs.</param>
/// <param name="ErrorsByKind">Errors of this second by kind.</param>
public sealed record TimelineSecond(
    int Second,
    double? TargetRate,
    long Requests,
    LatencySummary Latency,
    long Hits,
    long CacheAnswers,
    long Errors,
    IReadOnlyList<PopSecond> Pops,
    IReadOnlyDictionary<string, long> ErrorsByKind)
{
    public double? HitRatio => CacheAnswers == 0 ? null : (double)Hits / CacheAnswers;
}
