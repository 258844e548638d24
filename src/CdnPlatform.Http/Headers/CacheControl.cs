using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// The parsed Cache-Control of a request or a response (RFC 9111 §5.2). One parser for both: directives
/// that only make sense on one side are simply absent on the other.
/// </summary>
/// <remarks>
/// Malformed delta-seconds directives do not throw: RFC 9111 §4.2.1 encourages a cache to consider the
/// response stale, which <see cref="HasConflicts"/> tells the freshness calculation. A directive repeated
/// with another value keeps its first occurrence, the other choice §4.2.1 allows.
/// </remarks>
public sealed record CacheControl
{
    /// <summary>RFC 9111 §1.2.2: delta-seconds too large to represent are taken as 2^31.</summary>
    public static readonly TimeSpan MaxDelta = TimeSpan.FromSeconds(2147483648);

    public static readonly CacheControl Empty = new();

    public bool NoStore { get; init; }
    public bool NoCache { get; init; }
    public bool Private { get; init; }
    public bool Public { get; init; }
    public bool MustRevalidate { get; init; }
    public bool ProxyRevalidate { get; init; }
    public bool MustUnderstand { get; init; }
    public bool NoTransform { get; init; }
    public bool Immutable { get; init; }
    public bool OnlyIfCached { get; init; }

    /// <summary>
    /// The field names of a qualified <c>no-cache="a, b"</c> or <c>private="a"</c>; empty when unqualified.
    /// </summary>
    public IReadOnlyList<string> NoCacheFields { get; init; } = [];
    public IReadOnlyList<string> PrivateFields { get; init; } = [];

    public TimeSpan? MaxAge { get; init; }
    public TimeSpan? SharedMaxAge { get; init; }
    public TimeSpan? StaleWhileRevalidate { get; init; }
    public TimeSpan? StaleIfError { get; init; }
    public TimeSpan? MinFresh { get; init; }

    /// <summary><c>max-stale</c> present: with no value the client accepts any staleness (<see cref="MaxDelta"/>).</summary>
    public TimeSpan? MaxStale { get; init; }

    /// <summary>A delta-seconds directive had an invalid value (missing, negative, non-numeric, malformed).</summary>
    public bool HasConflicts { get; init; }

    public static CacheControl Parse(StringValues fieldValues)
    {
        if (StringValues.IsNullOrEmpty(fieldValues))
        {
            return Empty;
        }
        var builder = new CacheControlBuilder();
        foreach (var line in fieldValues)
        {
            if (line is not null)
            {
                CacheControlTokenizer.Tokenize(line, ref builder);
            }
        }
        return builder.Build();
    }
}
