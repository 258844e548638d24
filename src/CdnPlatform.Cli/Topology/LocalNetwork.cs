using System.Security.Cryptography;
using System.Text;
using System.Globalization;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control;
using CdnPlatform.Control.Failover;
using CdnPlatform.Control.Nodes;
using CdnPlatform.Edge;
using CdnPlatform.Origin;
using CdnPlatform.Origin.Publishing;
using CdnPlatform.Origin.Storage;
using CdnPlatform.OriginGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// The whole network of ARCHITECTURE.md on this machine, each node on its own loopback address: origin
/// nodes and a pair of gateways per datacenter, three edges, the control plane. Every node is built by the same
/// <c>Build(args)</c> its standalone host uses, so what runs here is what runs on real hosts. Everything runs in
/// this process, except with <see cref="LocalNetworkOptions.StartRedisServers"/>: then each datacenter (its
/// redis-server, nodes and gateways) is a process group of its own (<see cref="DatacenterProcess"/>), which
/// <see cref="KillDatacenterAsync"/> SIGKILLs as a whole.
/// </summary>
public sealed class LocalNetwork : IAsyncDisposable
{
    public const string SiteName = "shop";
    public const string SiteHost = "www.shop.test";

    /// <summary>The site's DNS zone: <c>origin.shop.test</c> and <c>www.shop.test</c> live in it.</summary>
    public const string SiteZoneName = "shop.test";

    public static readonly IReadOnlyList<(string Pop, string Address)> Edges =
        [("ams", "127.0.10.1"), ("nyc", "127.0.10.2"), ("sgp", "127.0.10.3")];

    /// <summary>Every datacenter has a pair of gateways over the same three nodes; edges know both.</summary>
    public static readonly IReadOnlyList<(string Datacenter, string[] Gateways, string[] Nodes)> Datacenters =
    [
        ("primary", ["127.0.21.1", "127.0.21.2"], ["127.0.21.11", "127.0.21.12", "127.0.21.13"]),
        ("dr", ["127.0.22.1", "127.0.22.2"], ["127.0.22.11", "127.0.22.12", "127.0.22.13"]),
    ];

    public const string ControlAddress = "127.0.0.1";

    /// <summary>
    /// Which clients each POP serves (<c>Control:Dns:Regions</c>): this machine, 127.0.0.0/8, is in Europe; the
    /// documentation networks (RFC 5737, RFC 3849) stand for clients elsewhere, for <c>dig +subnet=198.51.100.0/24</c>.
    /// </summary>
    public static readonly IReadOnlyList<(string Region, string[] Prefixes, string[] Pops)> Regions =
    [
        ("europe", ["127.0.0.0/8", "192.0.2.0/24", "2001:db8:a::/48"], ["ams"]),
        ("americas", ["198.51.100.0/24", "2001:db8:b::/48"], ["nyc"]),
        ("asia", ["203.0.113.0/24", "2001:db8:c::/48"], ["sgp"]),
    ];

    private const int MinWorkerThreads = 64;

    private static readonly TimeSpan ReadyPatience = TimeSpan.FromSeconds(30);

    /// <summary>Each datacenter host's admin listener (node stops, kills, restarts), apart from its gateways and nodes.</summary>
    public static readonly IReadOnlyDictionary<string, string> DatacenterAdminAddresses =
        new Dictionary<string, string> { ["primary"] = "127.0.21.254", ["dr"] = "127.0.22.254" };

    private readonly LocalNetworkOptions _options;
    // The running node behind each entry of _nodes, at the same index.
    private readonly List<ILocalNode> _running = [];
    private readonly List<NetworkNode> _nodes = [];
    private readonly Action<IServiceCollection> _sharedServices;
    // What the control plane changes the gateways' drains with; only this process's nodes ever need it.
    private readonly string _gatewayKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    private readonly List<RedisEndpoint> _redisServers = [];
    private LocalRedisServer? _purgeLogServer;
    private readonly Dictionary<string, string> _datacenterRedis = [];
    private readonly List<DatacenterProcess> _datacenters = [];
    // Each datacenter's Redis files and spec, kept for the network's lifetime so a killed datacenter restarts with its data.
    private readonly List<string> _datacenterDirectories = [];
    private readonly PurgeTargetHolder _purgeTarget = new();
    // The shop's key at the control plane: it may purge its own site and nothing else.
    private readonly string _shopPurgeKey = LocalNetworkOptions.NewKey();
    private string? _purgeRedis;
    private readonly List<(string Pop, string Url)> _edgeHttpsUrls = [];

    private LocalNetwork(LocalNetworkOptions options)
    {
        _options = options;
        _purgeRedis = options.Redis;
        // Without Redis every node of this process shares one bus of each kind: the single-process default.
        var inMemory = options.Redis is null && !options.StartRedisServers;
        var bus = inMemory ? new InMemoryPurgeBus() : null;
        var dnsChanges = inMemory ? new InMemoryDnsChangeBus() : null;
        _sharedServices = services =>
        {
            services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
            if (bus is not null)
            {
                services.AddSingleton<IPurgeBus>(bus);
                services.AddSingleton<IDnsChangeBus>(dnsChanges!);
            }
        };
    }

    public IReadOnlyList<NetworkNode> Nodes => _nodes;

    public string ControlUrl => _nodes.Single(n => n.Role == "control").Url;

    public IReadOnlyList<NetworkNode> EdgeNodes => _nodes.Where(n => n.Role == "edge").ToList();

    public string ApiKey => _options.ApiKey;

    public string Transport => _purgeRedis is null ? "memory" : "redis";

    public string CmsApiKey => _options.CmsApiKey;

    /// <summary>
    /// With <see cref="LocalNetworkOptions.Tls"/>: where the test CA's certificate (<see cref="TlsCaFileName"/>) and the
    /// edges' certificate and key are, as PEM; deleted with the network. Null without.
    /// </summary>
    public string? TlsDirectory { get; private set; }

    /// <summary>The test CA's certificate in <see cref="TlsDirectory"/>: what <c>curl --cacert</c> is given.</summary>
    public const string TlsCaFileName = "ca.pem";

    /// <summary>Each edge's HTTPS address with <see cref="LocalNetworkOptions.Tls"/>; none without.</summary>
    public IReadOnlyList<(string Pop, string Url)> EdgeHttpsUrls => _edgeHttpsUrls;

    /// <summary>The name edges fetch the site from: the control plane's DNS points it at the active datacenter's gateways.</summary>
    public const string OriginName = "origin." + SiteZoneName;

    /// <summary>The control plane's DNS port on <see cref="ControlAddress"/>, UDP and TCP.</summary>
    public int DnsPort { get; private set; }

    /// <summary>
    /// The redis-servers <c>--redis auto</c> started: the purge log's (in a process of its own, in neither
    /// datacenter), then each datacenter's (in that datacenter's process group).
    /// </summary>
    public IReadOnlyList<RedisEndpoint> RedisServers => _redisServers;

    /// <summary>The shop CMS's key at the control plane: it may purge its own site, and do nothing else.</summary>
    public string ShopPurgeKey => _shopPurgeKey;

    /// <summary>The process group of <paramref name="datacenter"/>'s host (its pid); null while it is killed.</summary>
    /// <exception cref="InvalidOperationException">This network runs its datacenters in this process (no <c>--redis auto</c>).</exception>
    public int? DatacenterProcessGroup(string datacenter) => DatacenterNamed(datacenter).ProcessGroupId;

    /// <summary>
    /// SIGKILLs <paramref name="datacenter"/>'s whole process group (gateways, nodes, its Redis) at once, as a
    /// datacenter that loses power; returns once none of its processes is alive. False when it was killed already.
    /// </summary>
    /// <exception cref="InvalidOperationException">This network runs its datacenters in this process (no <c>--redis auto</c>).</exception>
    public Task<bool> KillDatacenterAsync(string datacenter) => DatacenterNamed(datacenter).KillAsync();

    /// <summary>What a datacenter's process printed since it last started (with <see cref="LocalNetworkOptions.StartRedisServers"/>).</summary>
    public string DatacenterOutput(string datacenter) => DatacenterNamed(datacenter).Output;

    /// <summary>
    /// Starts a killed datacenter again on its addresses, ports and Redis files; returns once its gateways and nodes
    /// are ready. Its Redis comes back as it was: the primary's as a primary with its data, even if DR was promoted
    /// meanwhile (making it a replica of DR is the failback's job). False when it was running already.
    /// </summary>
    /// <exception cref="InvalidOperationException">This network runs its datacenters in this process (no <c>--redis auto</c>).</exception>
    public Task<bool> StartDatacenterAsync(string datacenter, CancellationToken cancellationToken = default) =>
        DatacenterNamed(datacenter).StartAsync(cancellationToken);

    /// <summary>
    /// SIGSTOPs <paramref name="datacenter"/>'s whole process group, or only its Redis: a stall, not a loss (see
    /// <see cref="DatacenterProcess.PauseAsync"/>). False when something of it is paused already.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is killed, or this network runs its datacenters in this process.</exception>
    public Task<bool> PauseDatacenterAsync(string datacenter, DatacenterPause what) => DatacenterNamed(datacenter).PauseAsync(what);

    /// <summary>SIGCONT to <paramref name="datacenter"/>'s process group; false when nothing of it was paused.</summary>
    public Task<bool> ResumeDatacenterAsync(string datacenter) => DatacenterNamed(datacenter).ResumeAsync();

    private DatacenterProcess DatacenterNamed(string datacenter)
    {
        if (_datacenters.Count == 0)
        {
            throw new InvalidOperationException("only a network started with --redis auto runs each datacenter as a process group of its own");
        }
        return _datacenters.SingleOrDefault(d => d.Datacenter == datacenter)
            ?? throw new ArgumentException($"no datacenter '{datacenter}' (known: {string.Join(", ", _datacenters.Select(d => d.Datacenter))})", nameof(datacenter));
    }

    /// <summary>Starts every node, origins first so each layer's upstream is listening when it starts.</summary>
    public static async Task<LocalNetwork> StartAsync(LocalNetworkOptions options, CancellationToken cancellationToken = default)
    {
        // Fourteen nodes share this process's thread pool, which on two cores starts with two threads and adds
        // one every half second. At start-up the nodes block a few threads on Redis (connects, key ring reads are
        // synchronous in the framework), and replies then queue behind them into StackExchange.Redis timeouts.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), io);
        if (options.OriginProcesses && !options.StartRedisServers)
        {
            // Separate processes share no memory: their content and sessions must be in the datacenters' Redis.
            throw new ArgumentException("origin nodes in their own processes need --redis auto", nameof(options));
        }
        if (options.AutomaticFailover && !options.StartRedisServers)
        {
            // Without the datacenters' Redis there is nothing to promote: a failover would only repoint DNS.
            throw new ArgumentException("automatic failover needs --redis auto", nameof(options));
        }
        var network = new LocalNetwork(options);
        try
        {
            await network.StartNodesAsync(cancellationToken);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The purge log's redis-server, started here; the datacenters' only get their ports, since each starts inside
    /// its datacenter's process group (the DR one as a replica of the primary's: its nodes serve reads and refuse
    /// writes until promoted).
    /// </summary>
    private async Task StartRedisServersAsync(CancellationToken cancellationToken)
    {
        _purgeLogServer = await LocalRedisServer.StartAsync("control", "always", null, cancellationToken);
        _purgeRedis = _purgeLogServer.Endpoint;
        _redisServers.Add(new RedisEndpoint(_purgeLogServer.Role, _purgeLogServer.Port));
        foreach (var (datacenter, _, _) in Datacenters)
        {
            var store = new RedisEndpoint(datacenter, OriginProcess.FreePort("127.0.0.1"));
            _redisServers.Add(store);
            _datacenterRedis[datacenter] = store.Endpoint;
        }
    }

    private string[] OriginArgs(string datacenter) => _datacenterRedis.TryGetValue(datacenter, out var redis)
        ? ["--Origin:CmsApiKey", _options.CmsApiKey, "--Origin:Redis", redis]
        // In memory nothing replicates to DR: it is read-only as a replica would be, serving its own seed.
        : ["--Origin:CmsApiKey", _options.CmsApiKey, "--Origin:ReadOnly", datacenter == "dr" ? "true" : "false"];

    private async Task StartNodesAsync(CancellationToken cancellationToken)
    {
        if (_options.StartRedisServers)
        {
            await StartRedisServersAsync(cancellationToken);
        }

        // The control plane's DNS is the edges' resolver, so its port is settled before they start (it starts last).
        DnsPort = _options.DnsPort == 0 ? OriginProcess.FreePort(ControlAddress) : _options.DnsPort;
        // Its URL too: a datacenter in a process of its own is told by configuration where publishes purge.
        var controlUrl = $"http://{ControlAddress}:{(_options.ControlPort == 0 ? OriginProcess.FreePort(ControlAddress) : _options.ControlPort).ToString(CultureInfo.InvariantCulture)}";
        // DNS gives edges the gateways' addresses and the origin URL the port: every gateway listens on the same
        // one, with port 0 the one the first gateway got (the others are on other addresses, where it is free too).
        var gatewayPort = _options.NodePort;
        var gateways = new Dictionary<string, List<string>>();
        var nodeNames = new Dictionary<string, List<string>>();
        // Without Redis each datacenter's nodes share one in-process store (content, sessions, render cache), and
        // every node one key ring, so they behave as a cluster on a datacenter's Redis does.
        var keyRing = new SharedKeyRing();
        foreach (var (datacenter, gatewayAddresses, nodeAddresses) in Datacenters)
        {
            nodeNames[datacenter] = [.. nodeAddresses.Select((_, i) => $"{datacenter}-{i + 1}")];
            if (_options.StartRedisServers)
            {
                gatewayPort = gatewayPort == 0 ? OriginProcess.FreePort(gatewayAddresses[0]) : gatewayPort;
                gateways[datacenter] = await StartDatacenterProcessAsync(datacenter, gatewayAddresses, nodeAddresses, nodeNames[datacenter], gatewayPort,
                    controlUrl, cancellationToken);
                continue;
            }
            var storage = new InMemoryDatacenter(keyRing);
            Action<IServiceCollection> nodeServices = services =>
            {
                _sharedServices(services);
                services.AddSingleton<IPurgeTargetSource>(_purgeTarget);
                if (!_datacenterRedis.ContainsKey(datacenter))
                {
                    storage.Register(services);
                }
            };
            var nodeUrls = new List<string>();
            for (var i = 0; i < nodeAddresses.Length; i++)
            {
                var nodeArgs = Args(nodeAddresses[i], _options.NodePort, NodeSettings(datacenter, nodeNames[datacenter][i]));
                nodeUrls.Add(await StartAsync("origin", nodeNames[datacenter][i], () => OriginHost.Build(nodeArgs, nodeServices), cancellationToken));
            }
            await WaitUntilReadyAsync(nodeUrls, cancellationToken);
            var gatewayArgs = GatewaySettings(datacenter, nodeNames[datacenter], nodeUrls);
            gateways[datacenter] = [];
            for (var g = 0; g < gatewayAddresses.Length; g++)
            {
                var builtGatewayArgs = Args(gatewayAddresses[g], gatewayPort, gatewayArgs);
                var gatewayUrl = await StartAsync("gateway", $"{datacenter}-gw{g + 1}",
                    () => OriginGatewayHost.Build(builtGatewayArgs, _sharedServices), cancellationToken);
                gatewayPort = new Uri(gatewayUrl).Port;
                gateways[datacenter].Add(gatewayUrl);
            }
        }

        var edgeUrls = new List<(string Pop, string Url)>();
        string[] tlsArgs = _options.Tls ? CreateTlsCertificates() : [];
        foreach (var (pop, address) in Edges)
        {
            // Every edge fetches from origin.shop.test, resolved through the control plane's DNS (which starts after
            // the edges: until it answers, their first requests wait for it): the active datacenter's gateway pair,
            // failing over from the first to the second per request. PUT /v1/dns/active moves them all.
            var edgeArgs = Args(address, _options.NodePort,
                [.. ClusterArgs(), "--Edge:Name", pop, "--Edge:Sites:0:Name", SiteName, "--Edge:Sites:0:Hosts:0", SiteHost,
                 "--Edge:Sites:0:Origin", $"http://{OriginName}:{gatewayPort.ToString(CultureInfo.InvariantCulture)}",
                 // The origin group's failover member: standby.shop.test is the datacenter that is not active.
                 "--Edge:Sites:0:FailoverOrigin", $"http://standby.{SiteZoneName}:{gatewayPort.ToString(CultureInfo.InvariantCulture)}",
                 // A read an origin address leaves unanswered for 2 s goes to the next (a stalled datacenter's reads to
                 // the standby's replica) instead of waiting for the failover: the shop renders in milliseconds here.
                 "--Edge:Sites:0:OriginResponseTimeoutSeconds", "2",
                 "--Edge:Dns:Resolvers:0", $"{ControlAddress}:{DnsPort.ToString(CultureInfo.InvariantCulture)}",
                 // Each edge reaches the origins from its own address, as a POP would from its own host.
                 "--Edge:OriginSourceAddress", address, .. tlsArgs]);
            if (_options.Tls)
            {
                // An https:// address beside the http:// one in --urls; its port is settled here, since an edge tells
                // its HTTPS endpoints by their port (never 0).
                var httpsUrl = $"https://{address}:{(_options.TlsPort == 0 ? OriginProcess.FreePort(address) : _options.TlsPort).ToString(CultureInfo.InvariantCulture)}";
                edgeArgs[1] += ";" + httpsUrl;
                _edgeHttpsUrls.Add((pop, httpsUrl));
            }
            var url = await StartAsync("edge", pop, () => EdgeHost.Build(edgeArgs, _sharedServices), cancellationToken);
            edgeUrls.Add((pop, url));
        }

        var controlArgs = new List<string>(ClusterArgs())
        {
            "--Control:ApiKey", _options.ApiKey, "--Control:Sites:0:Name", SiteName, "--Control:Sites:0:Hosts:0", SiteHost,
            "--Control:ApiKeys:0:Name", "shop-cms", "--Control:ApiKeys:0:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_shopPurgeKey))),
            "--Control:ApiKeys:0:Sites:0", SiteName, "--Control:ApiKeys:0:Actions:0", "purge",
        };
        for (var i = 0; i < edgeUrls.Count; i++)
        {
            controlArgs.AddRange([$"--Control:Edges:{i}:Name", edgeUrls[i].Pop, $"--Control:Edges:{i}:Url", edgeUrls[i].Url]);
        }
        // Both datacenters' gateways and nodes, so that the control plane drains nodes; it restarts them through this network.
        controlArgs.AddRange(["--Control:GatewayKey", _gatewayKey]);
        // The site's zone, served by the control plane: origin.shop.test → the primary gateways, www.shop.test → the
        // healthy edges of the client's region.
        controlArgs.AddRange(["--Control:Sites:0:Zone", SiteZoneName, "--Control:Dns:Address", ControlAddress,
            "--Control:Dns:Port", DnsPort.ToString(CultureInfo.InvariantCulture)]);
        for (var r = 0; r < Regions.Count; r++)
        {
            var (region, prefixes, pops) = Regions[r];
            controlArgs.AddRange([$"--Control:Dns:Regions:{r}:Name", region,
                .. prefixes.SelectMany((prefix, i) => new[] { $"--Control:Dns:Regions:{r}:Prefixes:{i}", prefix }),
                .. pops.SelectMany((pop, i) => new[] { $"--Control:Dns:Regions:{r}:Pops:{i}", pop })]);
        }
        for (var d = 0; d < Datacenters.Count; d++)
        {
            var datacenter = Datacenters[d].Datacenter;
            controlArgs.AddRange([$"--Control:Datacenters:{d}:Name", datacenter]);
            controlArgs.AddRange(gateways[datacenter].SelectMany((url, g) => new[] { $"--Control:Datacenters:{d}:Gateways:{g}", url }));
            controlArgs.AddRange(nodeNames[datacenter].SelectMany((name, i) => new[] { $"--Control:Datacenters:{d}:Nodes:{i}", name }));
            if (_datacenterRedis.TryGetValue(datacenter, out var redis))
            {
                // With --redis auto the control plane probes each datacenter's Redis and can promote DR (cdnctl dc switchover).
                controlArgs.AddRange([$"--Control:Datacenters:{d}:Redis", redis]);
            }
        }
        if (_options.AutomaticFailover)
        {
            controlArgs.AddRange(["--Control:Failover:Automatic", "true"]);
        }
        var builtControlArgs = Args(ControlAddress, new Uri(controlUrl).Port, [.. controlArgs]);
        await StartAsync("control", "control", () => ControlHost.Build(builtControlArgs, services =>
        {
            _sharedServices(services);
            services.AddSingleton<INodeRestarter>(new LocalNodeRestarter(this));
            if (_datacenters.Count > 0)
            {
                // Only here, where each datacenter is a process group this network started: POST /v1/dc/{name}/kill.
                services.AddSingleton<IDatacenterPower>(new LocalDatacenterPower(this));
            }
        }), cancellationToken);
        // The origins started before the control plane's address was known (with port 0 it is known only now):
        // from here their publishes purge through it; before, they would have queued in the outbox.
        _purgeTarget.Set(new PurgeTarget(new Uri(controlUrl), _shopPurgeKey, SiteName));
    }

    /// <summary>
    /// Makes a test CA and a certificate for the site's host signed by it, writes them to <see cref="TlsDirectory"/>,
    /// and returns the edges' settings for the certificate. The CA's key is never written: it signs this once.
    /// </summary>
    private string[] CreateTlsCertificates()
    {
        TlsDirectory = Directory.CreateTempSubdirectory("cdnctl-tls-").FullName;
        using var authority = LocalCertificateAuthority.Create("CdnPlatform cdnctl up test CA", TimeSpan.FromDays(30));
        using var certificate = authority.Issue(SiteHost);
        var certificatePath = Path.Combine(TlsDirectory, "edge.pem");
        var keyPath = Path.Combine(TlsDirectory, "edge-key.pem");
        LocalCertificateAuthority.WriteCertificate(authority.Certificate, Path.Combine(TlsDirectory, TlsCaFileName));
        LocalCertificateAuthority.WriteCertificate(certificate, certificatePath);
        LocalCertificateAuthority.WriteKey(certificate, keyPath);
        return ["--Edge:Tls:Certificates:0:Hosts:0", SiteHost, "--Edge:Tls:Certificates:0:CertificatePath", certificatePath,
                "--Edge:Tls:Certificates:0:KeyPath", keyPath];
    }

    /// <summary>
    /// Waits until every node says it is ready (content loaded; on DR, replicated with the key ring), so the
    /// network is announced only when each datacenter can serve.
    /// </summary>
    internal static async Task WaitUntilReadyAsync(IEnumerable<string> nodeUrls, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(ReadyPatience);
        foreach (var url in nodeUrls)
        {
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(url + "/healthz", patience.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                    await Task.Delay(50, patience.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"the origin node at {url} was not ready within {ReadyPatience.TotalSeconds:0} s (see its /healthz)");
                }
            }
        }
    }

    private string[] NodeSettings(string datacenter, string name) => ["--Origin:Node", name, "--Origin:Datacenter", datacenter, .. OriginArgs(datacenter)];

    private string[] GatewaySettings(string datacenter, List<string> nodeNames, List<string> nodeUrls)
    {
        var settings = new List<string> { "--Gateway:Datacenter", datacenter, "--Gateway:AdminKey", _gatewayKey };
        for (var i = 0; i < nodeUrls.Count; i++)
        {
            settings.AddRange([$"--Gateway:Nodes:{i}:Name", nodeNames[i], $"--Gateway:Nodes:{i}:Url", nodeUrls[i]]);
        }
        return [.. settings];
    }

    /// <summary>
    /// Starts one datacenter as a process group (<see cref="DatacenterHost"/>), every port settled here: its Redis
    /// (the DR one replicating the primary's), nodes (in the host, or its child processes with --origin-processes)
    /// and gateways. Returns the gateways' URLs once all are ready.
    /// </summary>
    private async Task<List<string>> StartDatacenterProcessAsync(string datacenter, string[] gatewayAddresses, string[] nodeAddresses, List<string> nodeNames,
        int gatewayPort, string controlUrl, CancellationToken cancellationToken)
    {
        var purge = new[] { "--Origin:Purge:ControlUrl", controlUrl, "--Origin:Purge:ApiKey", _shopPurgeKey, "--Origin:Purge:Site", SiteName };
        var nodes = nodeAddresses.Select((address, i) => Member(nodeNames[i], address, _options.NodePort, [.. NodeSettings(datacenter, nodeNames[i]), .. purge])).ToList();
        var gatewaySettings = GatewaySettings(datacenter, nodeNames, [.. nodes.Select(n => n.Url)]);
        var gateways = gatewayAddresses.Select((address, g) => Member($"{datacenter}-gw{g + 1}", address, gatewayPort, gatewaySettings)).ToList();
        var directory = Directory.CreateTempSubdirectory($"cdnctl-dc-{datacenter}-").FullName;
        _datacenterDirectories.Add(directory);
        var redisDirectory = Directory.CreateDirectory(Path.Combine(directory, "redis")).FullName;
        var port = _redisServers.Single(r => r.Role == datacenter).Port;
        // Every datacenter but the first replicates the first one's store, as DR replicates the primary's.
        int? replicaOf = datacenter == Datacenters[0].Datacenter ? null : _redisServers.Single(r => r.Role == Datacenters[0].Datacenter).Port;
        var adminAddress = DatacenterAdminAddresses[datacenter];
        var spec = new DatacenterSpec(datacenter, port, redisDirectory, replicaOf, WaitForReplicaSync: replicaOf is not null, nodes, gateways,
            _options.OriginProcesses, $"http://{adminAddress}:{OriginProcess.FreePort(adminAddress).ToString(CultureInfo.InvariantCulture)}", _gatewayKey);
        var host = await DatacenterProcess.StartAsync(spec, directory, cancellationToken,
            _options.DatacenterLog is { } log ? line => log(datacenter, line) : null);
        _datacenters.Add(host);
        foreach (var (role, member) in nodes.Select(n => ("origin", n)).Concat(gateways.Select(g => ("gateway", g))))
        {
            Add(role, member.Name, new DatacenterNode(host, member.Name, member.Url));
        }
        return [.. gateways.Select(g => g.Url)];
    }

    private DatacenterMember Member(string name, string address, int port, string[] settings) =>
        new(name, $"http://{address}:{(port == 0 ? OriginProcess.FreePort(address) : port).ToString(CultureInfo.InvariantCulture)}", Args(address, port, settings)[2..]);

    private string[] ClusterArgs() => _purgeRedis is null
        ? ["--Cluster:Transport", "memory"]
        : ["--Cluster:Transport", "redis", "--Cluster:Redis", _purgeRedis, "--Cluster:KeyPrefix", _options.ClusterKeyPrefix];

    private string[] Args(string address, int port, params string[] settings) =>
        ["--urls", $"http://{address}:{port}", "--Logging:LogLevel:Default", _options.LogLevel,
         "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning",
         // Each node's start warns that the key ring is kept unencrypted (in the datacenter's Redis, or in memory):
         // true on every start of the local network, and said once in the README instead.
         "--Logging:LogLevel:Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", "Error", .. settings];

    private async Task<string> StartAsync(string role, string name, Func<WebApplication> build, CancellationToken cancellationToken) =>
        Add(role, name, await InProcessNode.StartAsync(build, cancellationToken));

    private string Add(string role, string name, ILocalNode node)
    {
        _running.Add(node);
        // With port 0 the real port is known only now; the next layer is configured with it.
        _nodes.Add(new NetworkNode(role, name, node.Url));
        return node.Url;
    }

    private ILocalNode NodeAt(string url, out int index)
    {
        index = _nodes.FindIndex(n => n.Url == url);
        return index >= 0 ? _running[index] : throw new ArgumentException($"no node listens at {url}", nameof(url));
    }

    /// <summary>Stops the node listening at <paramref name="url"/> in order: what it has in flight finishes.</summary>
    public Task StopNodeAsync(string url) => NodeAt(url, out _).StopAsync();

    /// <summary>
    /// Stops the node at <paramref name="url"/> as a crash would: an origin process gets SIGKILL, a node in this
    /// process stops with its connections cut at once. <see cref="RestartNodeAsync"/> brings it back.
    /// </summary>
    public Task KillNodeAsync(string url) => NodeAt(url, out _).KillAsync();

    /// <summary>
    /// Stops the node at <paramref name="url"/> and starts it again from the same settings, as a host that
    /// crashed and came back: on the same URL, the port included when it was picked (port 0), since the layer
    /// in front of it knows it by that URL. Returns the URL.
    /// </summary>
    public async Task<string> RestartNodeAsync(string url)
    {
        var node = NodeAt(url, out var index);
        await node.RestartAsync();
        _nodes[index] = _nodes[index] with { Restarts = _nodes[index].Restarts + 1 };
        return url;
    }

    /// <summary>Stops everything, edges and control before the origins they talk to.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            await _running[i].DisposeAsync();
        }
        _running.Clear();
        // The datacenters' groups, Redis included, then the purge log's Redis: every node that wrote to them is stopped.
        for (var i = _datacenters.Count - 1; i >= 0; i--)
        {
            await _datacenters[i].DisposeAsync();
        }
        _datacenters.Clear();
        if (_purgeLogServer is not null)
        {
            await _purgeLogServer.DisposeAsync();
            _purgeLogServer = null;
        }
        foreach (var directory in _datacenterDirectories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left behind in the temporary directory; nothing reads it again.
            }
        }
        _datacenterDirectories.Clear();
        if (TlsDirectory is not null)
        {
            try
            {
                Directory.Delete(TlsDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left behind in the temporary directory: a CA whose key died with the process signs nothing more.
            }
            TlsDirectory = null;
        }
    }
}
