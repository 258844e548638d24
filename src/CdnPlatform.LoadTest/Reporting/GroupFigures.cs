namespace CdnPlatform.LoadTest.Reporting;

/// <summary>The figures of a set of requests: all of them, one POP's, or the responses of one datacenter.</summary>
/// <param name="Name"><c>all</c>, a POP's name, or a datacenter's.</param>
/// <param name="Requests">Requests that ended (answered or failed) within the run.</param>
/// <param name="Rate">Achieved rate: <paramref name="Requests"/> over the run's duration, requests/s.</param>
/// <param name="Latency">From HdrHistogram, over every ended request, failures included.</param>
/// <param name="Hits">Responses whose edge <c>Cache-Status</c> member says <c>hit</c>.</param>
/// <param name="CacheAnswers">Responses that carry an edge <c>Cache-Status</c> member at all (hits, misses, passes).</param>
/// <param name="Errors">Requests that failed: no answer, a 5xx, a 4xx the journey did not expect, or a failed check.</param>
/// <param name="ErrorsByKind">Errors by <see cref="Recording.ErrorKind"/>, kebab-case (e.g. <c>status-5xx</c>, <c>timeout</c>).</param>
/// <param name="Bytes">Body bytes received.</param>
public sealed record GroupFigures(
    string Name,
    long Requests,
    double Rate,
    LatencySummary Latency,
    long Hits,
    long CacheAnswers,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    long Bytes)
{
    /// <summary>Hits over responses with a Cache-Status member; null when there were none.</summary>
    public double? HitRatio => CacheAnswers == 0 ? null : (double)Hits / CacheAnswers;
}
