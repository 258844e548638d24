using System.Globalization;
using System.Text;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// One cache's member of the Cache-Status field (RFC 9211): what this cache did with the request.
/// Serialized as a Structured Field list member: <c>CdnPlatform; hit; ttl=42</c> or
/// <c>CdnPlatform; fwd=miss; fwd-status=200; stored</c>.
/// </summary>
public readonly record struct CacheStatus
{
    public const string DefaultCacheName = "CdnPlatform";

    public string CacheName { get; init; }
    public bool Hit { get; init; }
    public ForwardReason? Forward { get; init; }
    public int? ForwardStatus { get; init; }
    public TimeSpan? TimeToLive { get; init; }
    public bool Stored { get; init; }
    public bool Collapsed { get; init; }
    public string? Detail { get; init; }

    public static CacheStatus ForHit(TimeSpan ttl) => new() { CacheName = DefaultCacheName, Hit = true, TimeToLive = ttl };

    public static CacheStatus ForForward(ForwardReason reason) => new() { CacheName = DefaultCacheName, Forward = reason };

    /// <summary>A response this cache made itself, neither a hit nor forwarded (only-if-cached's 504).</summary>
    public static CacheStatus ForGenerated(string detail) => new() { CacheName = DefaultCacheName, Detail = detail };

    /// <summary>A hit with a ttl and nothing else to say: the common case, which a cache can format once per ttl.</summary>
    public bool IsPlainHit => Hit && Forward is null && ForwardStatus is null && !Stored && !Collapsed && Detail is null
        && (CacheName is null || CacheName == DefaultCacheName);

    public override string ToString()
    {
        var s = new StringBuilder(CacheName ?? DefaultCacheName);
        if (Hit)
        {
            s.Append("; hit");
        }
        if (Forward is { } fwd)
        {
            s.Append("; fwd=").Append(fwd.ToToken());
        }
        if (ForwardStatus is { } status)
        {
            s.Append("; fwd-status=").Append(status.ToString(CultureInfo.InvariantCulture));
        }
        if (TimeToLive is { } ttl)
        {
            // ttl is an sf-integer of seconds and may be negative for stale responses (RFC 9211 §2.4).
            s.Append("; ttl=").Append(((long)Math.Floor(ttl.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }
        if (Stored)
        {
            s.Append("; stored");
        }
        if (Collapsed)
        {
            s.Append("; collapsed");
        }
        if (Detail is not null)
        {
            s.Append("; detail=\"");
            foreach (var c in Detail)
            {
                // sf-string (RFC 8941 §3.3.3) holds printable ASCII only; anything else would break the
                // field (or inject one), so it is replaced rather than written raw.
                if (c is '"' or '\\')
                {
                    s.Append('\\').Append(c);
                }
                else
                {
                    s.Append(c is >= ' ' and <= '~' ? c : '?');
                }
            }
            s.Append('"');
        }
        return s.ToString();
    }
}
