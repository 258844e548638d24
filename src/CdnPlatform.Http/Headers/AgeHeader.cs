using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Headers;

/// <summary>The Age response field (RFC 9111 §5.1): <c>Age = delta-seconds</c>, a singleton.</summary>
/// <remarks>
/// Only one field line holding 1*DIGIT is valid; a list, a second line, a sign, a fraction or a parameter
/// is not, and callers then take the response as already stale. RFC 9111 §5.1 would instead use a list's
/// first member and ignore an invalid value; treating both as stale is the conservative side of those
/// SHOULDs (it costs a revalidation, never serves an over-age response) and is what http-cache-tests
/// age-parse-* expect, except age-parse-prefix (<c>0,7200</c> expected "cached"). That case contradicts
/// its own title ("… to be stale") and age-parse-dup-0 (<c>0, 0</c> expected stale), so no rule
/// satisfies all twelve; this one satisfies the other eleven.
/// </remarks>
public static class AgeHeader
{
    public static bool TryParse(StringValues fieldLines, out TimeSpan age)
    {
        age = TimeSpan.Zero;
        if (fieldLines.Count != 1)
        {
            return false;
        }
        var value = (fieldLines[0] ?? "").AsSpan().Trim(ListMembers.Whitespace);
        return CacheControlParsing.TryParseDeltaSeconds(value, out age);
    }
}
