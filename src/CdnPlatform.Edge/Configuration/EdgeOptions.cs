using CdnPlatform.Caching.Eviction;
using CdnPlatform.Http;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Edge.Configuration;

/// <summary>An edge node's settings, bound from the <c>Edge</c> section.</summary>
public sealed record EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>The node's name in acknowledgements and status, usually its POP: <c>ams</c>.</summary>
    public string Name { get; init; } = "";

    public List<SiteOptions> Sites { get; init; } = [];

    /// <summary>Memory budget of the cache.</summary>
    public long CacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// What leaves the cache when <see cref="CacheBytes"/> is full: <c>S3Fifo</c> or <c>Clock</c> (docs/eviction.md).
    /// S3-FIFO by default: it kept more hits than CLOCK in every case bench/eviction replayed.
    /// </summary>
    public string Eviction { get; init; } = nameof(EvictionPolicy.S3Fifo);

    /// <summary><see cref="Eviction"/> parsed; validated at start-up.</summary>
    public EvictionPolicy EvictionPolicy => ParseEviction(Eviction) ?? throw new InvalidOperationException($"{Section}:Eviction was not validated");

    /// <summary>Responses larger than this are passed through, never stored.</summary>
    public long MaxObjectBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>
    /// A storable response at least this large (by the origin's Content-Length) is streamed to the requests collapsed
    /// onto its fill as it arrives, instead of after it landed. Smaller ones land in about the time a stream would
    /// start, and waiting for them keeps a follower out of the one failure a stream has: an origin that breaks off
    /// mid-body cuts every reader off with it. (Its first visitor reads any storable body longer than the server's
    /// response buffer from that same buffer, whatever this says: see <c>OriginFetch.VisitorBufferBytes</c>.)
    /// </summary>
    public long StreamingThresholdBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long a connection to an origin address may take before the fetch moves on to the next address (or
    /// the failover origin), whatever the method: nothing was sent. 2 s, as the failover plan's RTO bar wants.
    /// </summary>
    public int OriginConnectTimeoutSeconds { get; init; } = 2;

    /// <summary>How long the origin may stay silent mid-response before the fetch is abandoned.</summary>
    public int OriginActivityTimeoutSeconds { get; init; } = 30;

    /// <summary>
    /// At most this many connections from this edge to one origin address (its IP and port) at a time; 0, the default,
    /// sets no cap, as nginx's <c>max_conns</c> and Varnish's <c>.max_connections</c> do by default. Origin traffic is
    /// HTTP/1.1, so this caps the fetches an address serves for this edge at once: the others wait for a connection, in
    /// order, as with nginx's <c>queue</c>. Waiting counts against the site's <c>OriginResponseTimeoutSeconds</c>: a
    /// read that waited it out is taken for one the address left unanswered (the address counts as failed, and the read
    /// goes to the next address or the failover origin, or gets its stale copy or a 504). It keeps a miss storm (a
    /// purge of everything on a sale day) from opening thousands of connections to an origin that is already slow;
    /// health probes have their own connections and never wait.
    /// </summary>
    public int MaxOriginConnectionsPerAddress { get; init; }

    /// <summary>
    /// The local address the edge's connections to origins (fetches and health probes) leave from; null lets the
    /// kernel choose. On a host with several addresses it says which one the origin's firewall and logs see; in the
    /// local network each edge leaves from its own 127.0.10.x, so a rule can cut the control plane off a datacenter
    /// while the edges still reach it (the partition test).
    /// </summary>
    public string? OriginSourceAddress { get; init; }

    /// <summary><see cref="OriginSourceAddress"/> parsed; validated at start-up.</summary>
    public System.Net.IPAddress? OriginSource => OriginSourceAddress is { Length: > 0 } address ? System.Net.IPAddress.Parse(address) : null;

    /// <summary>
    /// How long an origin address that could not be reached is passed over for the site's next one, so that
    /// visitors do not each wait for it to fail first. After that one request tries it again, and if it
    /// answers it is the first choice once more. 0 forgets failures at once (every request tries it first).
    /// </summary>
    public int FailedOriginSkipSeconds { get; init; } = 10;

    /// <summary>
    /// How often the edge probes every origin address it knows (<c>GET /healthz</c>) for its view of each datacenter
    /// (<c>GET /edge/origins</c>), which the control plane counts before it declares a datacenter down. A probe not
    /// answered within this (at most 1 s) fails.
    /// </summary>
    public int OriginProbeMilliseconds { get; init; } = 500;

    /// <summary>Failed probes or fetches in a row before an origin address counts as down; the control plane's default.</summary>
    public int OriginFailAfter { get; init; } = 3;

    /// <summary>Successful probes in a row before a down origin address counts as up again; the control plane's default.</summary>
    public int OriginRecoverAfter { get; init; } = 6;

    /// <summary>The resolvers that origins named by host are resolved through (<c>Edge:Dns:Resolvers:N</c>); none by default.</summary>
    public EdgeDnsOptions Dns { get; init; } = new();

    /// <summary>The certificates of the edge's https:// addresses (<see cref="EdgeTlsOptions"/>); none by default.</summary>
    public EdgeTlsOptions Tls { get; init; } = new();

    /// <summary>Prometheus metrics at <c>/metrics</c>; on unless disabled.</summary>
    public EdgeMetricsOptions Metrics { get; init; } = new();

    /// <summary>One JSON line per request (<see cref="AccessLogOptions"/>); off unless enabled.</summary>
    public AccessLogOptions AccessLog { get; init; } = new();

    public static EdgeOptions Bind(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<EdgeOptions>() ?? new EdgeOptions();
        var failures = options.Validate().ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(EdgeOptions), failures);
        }
        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return $"{Section}:Name is required (the POP name, e.g. ams)";
        }
        if (CacheBytes <= 0)
        {
            yield return $"{Section}:CacheBytes must be positive, was {CacheBytes}";
        }
        if (ParseEviction(Eviction) is null)
        {
            yield return $"{Section}:Eviction must be one of {string.Join(", ", Enum.GetNames<EvictionPolicy>())}, was '{Eviction}'";
        }
        if (MaxObjectBytes <= 0 || MaxObjectBytes > CacheBytes)
        {
            yield return $"{Section}:MaxObjectBytes must be positive and at most {Section}:CacheBytes, was {MaxObjectBytes}";
        }
        if (StreamingThresholdBytes <= 0)
        {
            yield return $"{Section}:StreamingThresholdBytes must be positive, was {StreamingThresholdBytes}";
        }
        if (OriginConnectTimeoutSeconds is < 1 or > 300)
        {
            yield return $"{Section}:OriginConnectTimeoutSeconds must be 1..300, was {OriginConnectTimeoutSeconds}";
        }
        if (OriginSourceAddress is { Length: > 0 } source && !System.Net.IPAddress.TryParse(source, out _))
        {
            yield return $"{Section}:OriginSourceAddress must be an IP address of this host, was '{source}'";
        }
        if (OriginActivityTimeoutSeconds is < 1 or > 3600)
        {
            yield return $"{Section}:OriginActivityTimeoutSeconds must be 1..3600, was {OriginActivityTimeoutSeconds}";
        }
        if (MaxOriginConnectionsPerAddress is < 0 or > 100_000)
        {
            yield return $"{Section}:MaxOriginConnectionsPerAddress must be 0 (no cap)..100000, was {MaxOriginConnectionsPerAddress}";
        }
        if (FailedOriginSkipSeconds is < 0 or > 3600)
        {
            yield return $"{Section}:FailedOriginSkipSeconds must be 0..3600, was {FailedOriginSkipSeconds}";
        }
        if (OriginProbeMilliseconds is < 50 or > 60_000)
        {
            yield return $"{Section}:OriginProbeMilliseconds must be 50..60000, was {OriginProbeMilliseconds}";
        }
        if (OriginFailAfter is < 1 or > 100 || OriginRecoverAfter is < 1 or > 100)
        {
            yield return $"{Section}:OriginFailAfter and {Section}:OriginRecoverAfter must be 1..100, were {OriginFailAfter} and {OriginRecoverAfter}";
        }
        foreach (var failure in AccessLog.Validate($"{Section}:{AccessLogOptions.Section}"))
        {
            yield return failure;
        }
        foreach (var failure in Dns.Validate($"{Section}:{EdgeDnsOptions.Section}"))
        {
            yield return failure;
        }
        foreach (var failure in Tls.Validate($"{Section}:{EdgeTlsOptions.Section}"))
        {
            yield return failure;
        }
        if (Sites.Count == 0)
        {
            yield return $"{Section}:Sites must name at least one site";
        }
        var hostOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Sites.Count; i++)
        {
            var site = Sites[i];
            var key = $"{Section}:Sites:{i}";
            if (string.IsNullOrWhiteSpace(site.Name))
            {
                yield return $"{key}:Name is required";
            }
            foreach (var failure in ValidateOrigins(site, key).Concat(ValidateFailover(site, key)))
            {
                yield return failure;
            }
            if (site.StaleWhileRevalidateSeconds < 0 || site.StaleIfErrorSeconds < 0 || site.HitForPassSeconds < 0 || site.StaleWhenOriginDownSeconds < 0 || site.DefaultTtlSeconds < 0)
            {
                yield return $"{key}: StaleWhileRevalidateSeconds, StaleIfErrorSeconds, StaleWhenOriginDownSeconds, HitForPassSeconds and DefaultTtlSeconds must not be negative";
            }
            if (site.OriginResponseTimeoutSeconds is < 0 or > 3600)
            {
                yield return $"{key}:OriginResponseTimeoutSeconds must be 0..3600 (0: no limit of its own), was {site.OriginResponseTimeoutSeconds}";
            }
            if (site.MaxRanges < 1)
            {
                yield return $"{key}:MaxRanges must be at least 1, was {site.MaxRanges}";
            }
            if (site.Hosts.Count == 0)
            {
                yield return $"{key}:Hosts must name at least one host";
            }
            for (var h = 0; h < site.Hosts.Count; h++)
            {
                var host = site.Hosts[h];
                if (host != SiteDirectory.AnyHost && Uri.CheckHostName(host) == UriHostNameType.Unknown)
                {
                    yield return $"{key}:Hosts:{h}: '{host}' is not a host name";
                }
                else if (!hostOwners.TryAdd(host, site.Name))
                {
                    yield return $"{key}:Hosts:{h}: '{host}' already belongs to site '{hostOwners[host]}'";
                }
            }
        }
    }

    // By name only, any case: Enum.TryParse would also take "1" or "S3Fifo,Clock".
    private static EvictionPolicy? ParseEviction(string? name) =>
        Enum.GetValues<EvictionPolicy>().Select(p => (EvictionPolicy?)p).FirstOrDefault(p => string.Equals(p.ToString(), name, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> ValidateOrigins(SiteOptions site, string key)
    {
        if (site.Origins.Count == 0)
        {
            if (!HttpUrl.TryParse(site.Origin, out _))
            {
                yield return site.Origin.Length == 0
                    ? $"{key}:Origins needs at least one origin URL ({key}:Origins:0, {key}:Origins:1, ...; or {key}:Origin for one)"
                    : $"{key}:Origin: '{site.Origin}' is not an absolute http:// or https:// URL";
            }
            yield break;
        }
        if (site.Origin.Length > 0)
        {
            yield return $"{key}:Origin and {key}:Origins are both set: list every origin under {key}:Origins";
        }
        for (var o = 0; o < site.Origins.Count; o++)
        {
            var origin = site.Origins[o];
            var first = site.Origins.FindIndex(other => string.Equals(other, origin, StringComparison.OrdinalIgnoreCase));
            if (!HttpUrl.TryParse(origin, out _))
            {
                yield return $"{key}:Origins:{o}: '{origin}' is not an absolute http:// or https:// URL";
            }
            else if (first < o)
            {
                // Failing over to the same address again would only double the wait.
                yield return $"{key}:Origins:{o}: '{origin}' is already {key}:Origins:{first}";
            }
        }
    }

    private static IEnumerable<string> ValidateFailover(SiteOptions site, string key)
    {
        if (site.FailoverOrigin.Length > 0)
        {
            if (!HttpUrl.TryParse(site.FailoverOrigin, out _))
            {
                yield return $"{key}:FailoverOrigin: '{site.FailoverOrigin}' is not an absolute http:// or https:// URL";
            }
            else if (site.Origins.Append(site.Origin).Any(o => string.Equals(o, site.FailoverOrigin, StringComparison.OrdinalIgnoreCase)))
            {
                // Failing over to the primary would only try it again.
                yield return $"{key}:FailoverOrigin: '{site.FailoverOrigin}' is also a primary origin ({key}:Origin or {key}:Origins)";
            }
        }
        else if (site.FailoverStatuses is not null)
        {
            yield return $"{key}:FailoverStatuses is set but {key}:FailoverOrigin is not: there is nowhere to fail over to";
        }
        var statuses = site.FailoverStatuses ?? [];
        for (var s = 0; s < statuses.Count; s++)
        {
            // A status below 400 is an answer, not a failure; 1xx and 3xx would also need the body the visitor is owed.
            if (statuses[s] is < 400 or > 599)
            {
                yield return $"{key}:FailoverStatuses:{s} must be an error status 400..599, was {statuses[s]}";
            }
        }
    }
}
