using System.Diagnostics;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// The time a request spent on origin fetches, for its access log line: a feature of the request set by the first
/// fetch (so a hit, which fetches nothing, allocates none), added to by any further one (a follower that waited for a
/// leader and then went itself).
/// </summary>
internal sealed class OriginTiming
{
    public TimeSpan Elapsed { get; private set; }

    public static void Add(Microsoft.AspNetCore.Http.HttpContext context, long startedTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        var timing = context.Features.Get<OriginTiming>();
        if (timing is null)
        {
            timing = new OriginTiming();
            context.Features.Set(timing);
        }
        timing.Elapsed += elapsed;
    }
}
