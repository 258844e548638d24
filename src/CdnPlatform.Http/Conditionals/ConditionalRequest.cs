using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Conditionals;

/// <summary>
/// Answers a client's conditional GET or HEAD from a stored 200 (RFC 9111 §4.3.2, RFC 9110 §13.1.2-3,
/// §13.2.2): whether the cache may reply 304 Not Modified instead of the stored response.
/// </summary>
public static class ConditionalRequest
{
    /// <summary>
    /// If-None-Match, when present, decides alone (If-Modified-Since is then ignored, §13.1.3): 304 when a
    /// listed tag weakly matches the stored ETag, or for <c>*</c>. Otherwise If-Modified-Since: 304 when the
    /// stored Last-Modified, or failing that the stored Date, is not later than it. An If-Modified-Since that
    /// is not exactly one valid HTTP-date is ignored (§13.1.3).
    /// </summary>
    /// <remarks>
    /// The suite's optimal conditional-lm-fresh-no-lm expects a 304 when the stored response has no
    /// Last-Modified and a Date 3000 s after If-Modified-Since. §4.3.2 has the cache compare Date in that
    /// case, and a Date after the given time means the response may have changed since, so this answers
    /// 200 as the RFC requires.
    /// </remarks>
    /// <param name="storedResponseTime">When the stored response was received: §4.3.2's stand-in when it has no Date.</param>
    public static bool IsNotModified(StringValues ifNoneMatch, StringValues ifModifiedSince, string? storedETag,
        string? storedLastModified, string? storedDate, DateTimeOffset? storedResponseTime = null)
    {
        if (ifNoneMatch.Count > 0)
        {
            var list = EntityTagList.Parse(ifNoneMatch);
            if (list.IsAny)
            {
                return true;
            }
            return storedETag is not null
                && EntityTag.TryParse(storedETag, out var current, tolerateMalformed: true)
                && list.MatchesWeakly(current);
        }
        if (ifModifiedSince.Count != 1 || !HttpDate.TryParse(ifModifiedSince[0], out var since))
        {
            return false;
        }
        if (HttpDate.TryParse(storedLastModified, out var lastModified))
        {
            return lastModified <= since;
        }
        if (HttpDate.TryParse(storedDate, out var date))
        {
            return date <= since;
        }
        // HTTP-dates have whole seconds; the clock does not.
        return storedResponseTime is { } received && received.AddTicks(-(received.Ticks % TimeSpan.TicksPerSecond)) <= since;
    }
}
