using System.Net;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// What an edge knows of one origin name, and when it must ask again: the RFC 8767 rules with the lookups and
/// the clock left outside. An answer is used for its TTL and asked for again a little before it runs out, so
/// requests never wait on DNS once a name has an answer. When every resolver fails, the old addresses go on
/// being used (stale), retried every <see cref="StaleTtl"/>, for at most the max stale period after the TTL ran
/// out; then they are dropped. An answer of "no such name" or "no addresses" is an answer, not a failure: it
/// replaces the addresses and is never served stale. Immutable: each lookup's outcome gives the next value.
/// </summary>
public sealed record ResolvedName
{
    /// <summary>RFC 8767 §5: the TTL given to a stale answer, and so how often a failing name is asked again.</summary>
    public static readonly TimeSpan StaleTtl = TimeSpan.FromSeconds(30);

    /// <summary>RFC 8767 §5 suggests 1 to 3 days of stale answers; an edge keeps at most one.</summary>
    public static readonly TimeSpan DefaultMaxStale = TimeSpan.FromDays(1);

    /// <summary>A TTL of 0 (or 1) would have the edge ask without pause: answers count for at least this long.</summary>
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);

    /// <summary>How soon a name with no answer to use is asked again.</summary>
    public static readonly TimeSpan UnresolvedRetry = TimeSpan.FromSeconds(1);

    private ResolvedName()
    {
    }

    /// <summary>The addresses to send requests to, in the order the answer gave them; empty when there are none.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; private init; } = [];

    /// <summary>When the answer in use arrived; null when there is none.</summary>
    public DateTimeOffset? AnsweredAt { get; private init; }

    /// <summary>The end of the answer's TTL.</summary>
    public DateTimeOffset FreshUntil { get; private init; }

    /// <summary>The addresses are dropped at the first failed lookup from here on: <see cref="FreshUntil"/> plus the max stale period.</summary>
    public DateTimeOffset StaleUntil { get; private init; }

    /// <summary>When the next lookup is due; never later than <see cref="StaleUntil"/> while there are addresses.</summary>
    public DateTimeOffset RefreshAt { get; private init; }

    /// <summary>Lookups that failed in a row (every resolver failed); 0 after an answer.</summary>
    public int Failures { get; private init; }

    public static ResolvedName Unresolved(DateTimeOffset now) => new() { FreshUntil = now, StaleUntil = now, RefreshAt = now };

    public NameState StateAt(DateTimeOffset now) => AnsweredAt is null ? NameState.Unresolved
        : now < FreshUntil ? NameState.Fresh
        : NameState.Stale;

    /// <summary>A resolver answered: these addresses (none for NXDOMAIN or NODATA), for <paramref name="ttl"/>.</summary>
    public ResolvedName Answered(IReadOnlyList<IPAddress> addresses, TimeSpan ttl, DateTimeOffset now, TimeSpan maxStale)
    {
        var lifetime = ttl < MinTtl ? MinTtl : ttl;
        var freshUntil = now + lifetime;
        return new ResolvedName
        {
            Addresses = addresses,
            AnsweredAt = now,
            FreshUntil = freshUntil,
            // Nothing to serve stale from an empty answer.
            StaleUntil = addresses.Count > 0 ? freshUntil + maxStale : freshUntil,
            // Asked again when a tenth of the TTL is left, so the next answer is in before this one runs out.
            RefreshAt = freshUntil - lifetime / 10,
        };
    }

    /// <summary>Every resolver failed (timed out, refused, SERVFAIL).</summary>
    public ResolvedName Failed(DateTimeOffset now)
    {
        var failures = Failures + 1;
        if (Addresses.Count == 0 && now >= FreshUntil)
        {
            return Unresolved(now) with { RefreshAt = now + UnresolvedRetry, Failures = failures };
        }
        if (now < FreshUntil)
        {
            // An early refresh failed: the answer still holds; once more when it runs out.
            return this with { RefreshAt = FreshUntil, Failures = failures };
        }
        if (now < StaleUntil)
        {
            var next = now + StaleTtl;
            return this with { RefreshAt = next < StaleUntil ? next : StaleUntil, Failures = failures };
        }
        // Stale for as long as allowed: better no origin than one the resolvers stopped vouching for a day ago.
        return Unresolved(now) with { RefreshAt = now + UnresolvedRetry, Failures = failures };
    }
}
