namespace CdnPlatform.LoadTest.Reporting;

/// <summary>One POP's requests that ended in one second of load.</summary>
public sealed record PopSecond(string Name, long Requests, LatencySummary Latency, long Hits, long CacheAnswers, long Errors)
{
    public double? HitRatio => CacheAnswers == 0 ? null : (double)Hits / CacheAnswers;
}
