using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CdnPlatform.Edge.Resolving;

namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// How the edge resolves origins named by host (<c>Edge:Dns</c>). With <see cref="Resolvers"/> set, every site
/// origin whose URL names a host (<c>http://origin.shop.test:8080</c>) is resolved through them by the edge
/// itself, honouring the TTL and serving stale answers while they all fail (RFC 8767). Without, such hosts
/// are left to the operating system's resolver, as they always were; origins given as IP addresses never
/// involve DNS.
/// </summary>
public sealed record EdgeDnsOptions
{
    public const string Section = "Dns";

    public const int DefaultPort = 53;

    /// <summary>Resolvers to ask, in order (<c>127.0.0.1:8053</c>, <c>10.0.0.2</c> for port 53): the next is asked when one fails.</summary>
    public List<string> Resolvers { get; init; } = [];

    /// <summary>How long after its TTL an answer may still be used while every resolver fails; at most a day (RFC 8767).</summary>
    public int MaxStaleSeconds { get; init; } = (int)ResolvedName.DefaultMaxStale.TotalSeconds;

    /// <summary>How long one query waits for a resolver's answer; it is sent twice before the next resolver is asked.</summary>
    public int QueryTimeoutMilliseconds { get; init; } = 1000;

    public bool Enabled => Resolvers.Count > 0;

    /// <summary>The resolvers' endpoints; call after <see cref="Validate"/> found nothing.</summary>
    public IReadOnlyList<IPEndPoint> ResolverEndpoints() => [.. Resolvers.Select(r => TryParseEndpoint(r, out var endpoint) ? endpoint : throw new FormatException(r))];

    internal IEnumerable<string> Validate(string key)
    {
        for (var i = 0; i < Resolvers.Count; i++)
        {
            if (!TryParseEndpoint(Resolvers[i], out var endpoint))
            {
                yield return $"{key}:Resolvers:{i}: '{Resolvers[i]}' is not an IP address with an optional port (e.g. 127.0.0.1:8053, [::1]:53)";
            }
            else if (Resolvers.FindIndex(r => TryParseEndpoint(r, out var other) && other.Equals(endpoint)) is var first && first < i)
            {
                yield return $"{key}:Resolvers:{i}: '{Resolvers[i]}' is already {key}:Resolvers:{first}";
            }
        }
        var maxStale = (int)ResolvedName.DefaultMaxStale.TotalSeconds;
        if (MaxStaleSeconds < 0 || MaxStaleSeconds > maxStale)
        {
            yield return $"{key}:MaxStaleSeconds must be 0..{maxStale} (a day), was {MaxStaleSeconds}";
        }
        if (QueryTimeoutMilliseconds is < 50 or > 10_000)
        {
            yield return $"{key}:QueryTimeoutMilliseconds must be 50..10000, was {QueryTimeoutMilliseconds}";
        }
    }

    /// <summary>An address alone means port 53. A host name is refused: the edge would need DNS to find its DNS.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPEndPoint.TryParse(text, out var parsed))
        {
            return false;
        }
        var v4 = parsed.AddressFamily == AddressFamily.InterNetwork;
        var hasPort = v4 ? text.Contains(':', StringComparison.Ordinal) : text.Contains("]:", StringComparison.Ordinal);
        // IPAddress also reads "8053" or "10.1" as IPv4 addresses; a resolver is written as four parts.
        if ((v4 && (hasPort ? text[..text.IndexOf(':')] : text).Count(c => c == '.') != 3) || (hasPort && parsed.Port == 0))
        {
            return false;
        }
        endpoint = hasPort ? parsed : new IPEndPoint(parsed.Address, DefaultPort);
        return true;
    }
}
