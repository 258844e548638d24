using System.Security.Cryptography;
using System.Text;
using System.Globalization;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control;
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
/// The whole network of ARCHITECTURE.md in this process, each node on its own loopback address: origin
/// nodes and a pair of gateways per datacenter, three edges, the control plane. Every node is built by the same
/// <c>Build(args)</c> its standalone host uses, so what runs here is what runs on real hosts.
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

    private readonly LocalNetworkOptions _options;
    // The running node behind each entry of _nodes, at the same index.
    private readonly List<ILocalNode> _running = [];
    private readonly List<NetworkNode> _nodes = [];
    private readonly Action<IServiceCollection> _sharedServices;
    // What the control plane changes the gateways' drains with; only this process's nodes ever need it.
    private readonly string _gatewayKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    private readonly List<LocalRedisServer> _redisServers = [];
    private readonly Dictionary<string, string> _datacenterRedis = [];
    private readonly PurgeTargetHolder _purgeTarget = new();
    // The shop's key at the control plane: it may purge its own site and nothing else.
    private readonly string _shopPurgeKey = LocalNetworkOptions.NewKey();
    private string? _purgeRedis;

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

    /// <summary>The name edges fetch the site from: the control plane's DNS points it at the active datacenter's gateways.</summary>
    public const string OriginName = "origin." + SiteZoneName;

    /// <summary>The control plane's DNS port on <see cref="ControlAddress"/>, UDP and TCP.</summary>
    public int DnsPort { get; private set; }

    /// <summary>The redis-servers <c>--redis auto</c> started: the purge log's, then each datacenter's.</summary>
    public IReadOnlyList<LocalRedisServer> RedisServers => _redisServers;

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

    private async Task StartRedisServersAsync(CancellationToken cancellationToken)
    {
        var purgeLog = await StartRedisAsync("control", "always", null, cancellationToken);
        _purgeRedis = purgeLog.Endpoint;
        var primary = await StartRedisAsync("primary", "everysec", null, cancellationToken);
        _datacenterRedis["primary"] = primary.Endpoint;
        // The DR datacenter's store replicates the primary's: its nodes serve reads and refuse writes until promoted.
        var dr = await StartRedisAsync("dr", "everysec", primary, cancellationToken);
        await dr.WaitUntilInSyncAsync(cancellationToken);
        _datacenterRedis["dr"] = dr.Endpoint;
    }

    private async Task<LocalRedisServer> StartRedisAsync(string role, string fsync, LocalRedisServer? replicaOf, CancellationToken cancellationToken)
    {
        var server = await LocalRedisServer.StartAsync(role, fsync, replicaOf, cancellationToken);
        _redisServers.Add(server);
        return server;
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
            nodeNames[datacenter] = [];
            for (var i = 0; i < nodeAddresses.Length; i++)
            {
                var name = $"{datacenter}-{i + 1}";
                nodeNames[datacenter].Add(name);
                var nodeArgs = Args(nodeAddresses[i], _options.NodePort, ["--Origin:Node", name, "--Origin:Datacenter", datacenter, .. OriginArgs(datacenter)]);
                var url = _options.OriginProcesses
                    ? Add("origin", name, await OriginProcess.StartAsync(nodeAddresses[i], _options.NodePort, nodeArgs[2..], cancellationToken))
                    : await StartAsync("origin", name, () => OriginHost.Build(nodeArgs, nodeServices), cancellationToken);
                nodeUrls.Add(url);
            }
            await WaitUntilReadyAsync(nodeUrls, cancellationToken);
            var gatewayArgs = new List<string> { "--Gateway:Datacenter", datacenter, "--Gateway:AdminKey", _gatewayKey };
            for (var i = 0; i < nodeUrls.Count; i++)
            {
                gatewayArgs.AddRange([$"--Gateway:Nodes:{i}:Name", nodeNames[datacenter][i], $"--Gateway:Nodes:{i}:Url", nodeUrls[i]]);
            }
            gateways[datacenter] = [];
            for (var g = 0; g < gatewayAddresses.Length; g++)
            {
                var builtGatewayArgs = Args(gatewayAddresses[g], gatewayPort, [.. gatewayArgs]);
                var gatewayUrl = await StartAsync("gateway", $"{datacenter}-gw{g + 1}",
                    () => OriginGatewayHost.Build(builtGatewayArgs, _sharedServices), cancellationToken);
                gatewayPort = new Uri(gatewayUrl).Port;
                gateways[datacenter].Add(gatewayUrl);
            }
        }

        var edgeUrls = new List<(string Pop, string Url)>();
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
                 "--Edge:Dns:Resolvers:0", $"{ControlAddress}:{DnsPort.ToString(CultureInfo.InvariantCulture)}"]);
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
        var builtControlArgs = Args(ControlAddress, _options.ControlPort, [.. controlArgs]);
        var controlUrl = await StartAsync("control", "control", () => ControlHost.Build(builtControlArgs, services =>
        {
            _sharedServices(services);
            services.AddSingleton<INodeRestarter>(new LocalNodeRestarter(this));
        }), cancellationToken);
        // The origins started before the control plane's address was known (with port 0 it is known only now):
        // from here their publishes purge through it; before, they would have queued in the outbox.
        _purgeTarget.Set(new PurgeTarget(new Uri(controlUrl), _shopPurgeKey, SiteName));
    }

    /// <summary>
    /// Waits until every node says it is ready (content loaded; on DR, replicated with the key ring), so the
    /// network is announced only when each datacenter can serve.
    /// </summary>
    private static async Task WaitUntilReadyAsync(IEnumerable<string> nodeUrls, CancellationToken cancellationToken)
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

    private string[] ClusterArgs() => _purgeRedis is null
        ? ["--Cluster:Transport", "memory"]
        : ["--Cluster:Transport", "redis", "--Cluster:Redis", _purgeRedis, "--Cluster:KeyPrefix", _options.ClusterKeyPrefix];

    private string[] Args(string address, int port, params string[] settings) =>
        ["--urls", $"http://{address}:{port}", "--Logging:LogLevel:Default", _options.LogLevel,
         "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning", .. settings];

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
        // The Redis servers last: every node that wrote to them is stopped.
        for (var i = _redisServers.Count - 1; i >= 0; i--)
        {
            await _redisServers[i].DisposeAsync();
        }
        _redisServers.Clear();
    }
}
