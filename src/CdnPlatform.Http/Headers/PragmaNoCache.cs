using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// <c>Pragma: no-cache</c>, the HTTP/1.0 request directive. RFC 9111 §5.4 deprecates Pragma and defines no
/// cache behaviour for it, so the edge consults it only for a request without Cache-Control; the suite's
/// pragma-* cases are all checks, and a cache that ignores Pragma serves them from cache.
/// </summary>
public static class PragmaNoCache
{
    /// <summary>Whether any Pragma field line lists the <c>no-cache</c> directive (case-insensitive).</summary>
    public static bool IsPresent(StringValues pragma)
    {
        foreach (var line in pragma)
        {
            foreach (var member in new ListMembers(line))
            {
                if (member.Equals("no-cache", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
