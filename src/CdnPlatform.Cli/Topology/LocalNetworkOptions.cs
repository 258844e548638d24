namespace CdnPlatform.Cli.Topology;

/// <summary>How <see cref="LocalNetwork"/> lays out the network on this machine.</summary>
public sealed record LocalNetworkOptions
{
    /// <summary>The control plane's API key; <c>cdnctl up</c> generates one when none is given.</summary>
    public required string ApiKey { get; init; }

    /// <summary>
    /// Redis to carry purges (<c>host:port</c>); null for the in-memory bus inside this process. The datacenters'
    /// stores stay in memory with it: only <see cref="StartRedisServers"/> gives them Redis.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>
    /// <c>--redis auto</c>: start a redis-server for the purge log and one per datacenter (the DR one a replica of
    /// the primary's), on free loopback ports, and stop them with the network.
    /// </summary>
    public bool StartRedisServers { get; init; }

    /// <summary>
    /// <c>--origin-processes</c>: every origin node in a process of its own (<see cref="OriginProcess"/>), so it can
    /// be SIGKILLed like a real host. Needs <see cref="StartRedisServers"/>.
    /// </summary>
    public bool OriginProcesses { get; init; }

    /// <summary>
    /// The control plane's automatic policy (<c>Control:Failover:Automatic</c>): fail over by itself when the
    /// active datacenter is down for the control plane and most edges. <c>cdnctl up --redis auto</c> turns it on
    /// unless <c>--manual-failover</c>; tests turn it on where they kill a datacenter on purpose. Needs
    /// <see cref="StartRedisServers"/>.
    /// </summary>
    public bool AutomaticFailover { get; init; }

    /// <summary>The key of the shop's CMS API (<c>POST /cms/products/{id}</c>); generated when none is given.</summary>
    public string CmsApiKey { get; init; } = NewKey();

    /// <summary>A random key of 32 URL-safe characters.</summary>
    public static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>Port of every edge, gateway and origin node (each has its own address). 0 picks free ports.</summary>
    public int NodePort { get; init; } = 8080;

    public int ControlPort { get; init; } = 8700;

    /// <summary>The control plane's DNS on 127.0.0.1, UDP and TCP (zone <c>shop.test</c>). 0 picks a free port.</summary>
    public int DnsPort { get; init; } = 8053;

    /// <summary>
    /// <c>--tls</c>: every edge also listens for HTTPS on <see cref="TlsPort"/> (HTTP/2 and HTTP/1.1), with a certificate
    /// for the site's hosts from a test CA made at start-up (<see cref="LocalNetwork.TlsDirectory"/>).
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>The edges' HTTPS port with <see cref="Tls"/>. 0 picks a free port for each edge.</summary>
    public int TlsPort { get; init; } = 8443;

    /// <summary>Prefix of Redis keys and channels, so parallel test networks on one Redis stay apart.</summary>
    public string ClusterKeyPrefix { get; init; } = "cdn";

    public string LogLevel { get; init; } = "Warning";

    /// <summary>
    /// With <see cref="StartRedisServers"/>: given each line a datacenter's process prints (its nodes' and gateways'
    /// warnings and errors, at <see cref="LogLevel"/>) with the datacenter's name, as it comes. Unset, the lines are
    /// only kept (<see cref="LocalNetwork.DatacenterOutput"/>).
    /// </summary>
    public Action<string, string>? DatacenterLog { get; init; }
}
