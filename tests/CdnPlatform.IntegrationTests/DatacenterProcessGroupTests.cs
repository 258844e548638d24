using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>cdnctl up --redis auto</c>: each datacenter (its gateways, nodes and redis-server) is one process group of its
/// own, which <c>POST /v1/dc/{name}/kill</c> SIGKILLs at once and <c>/start</c> brings back with its data. Processes
/// are found as the kernel sees them: who listens on a port (<c>ss</c>), and its group (<c>/proc/PID/stat</c>).
/// </summary>
public sealed partial class DatacenterProcessGroupTests : IAsyncLifetime
{
    private const string ApiKey = "integration-key-0123456789";
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };
    private LocalNetwork _network = null!;

    public async Task InitializeAsync()
    {
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
        {
            ApiKey = ApiKey,
            StartRedisServers = true,
            NodePort = 0,
            ControlPort = 0,
            DnsPort = 0,
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _network.DisposeAsync();
    }

    [Fact]
    public void EachDatacenter_IsOneProcessGroup_WithItsGatewaysNodesAndRedis_ApartFromTheRest()
    {
        var groups = new Dictionary<string, int>();
        foreach (var (datacenter, _, _) in LocalNetwork.Datacenters)
        {
            var members = _network.Nodes.Where(n => n.Name.StartsWith(datacenter + "-", StringComparison.Ordinal)).Select(n => new Uri(n.Url))
                .Append(new Uri("tcp://127.0.0.1:" + Redis(datacenter).Port)).ToList();
            var memberGroups = members.Select(m => GroupOf(ListeningProcess(m.Host, m.Port))).Distinct().ToList();

            var group = Assert.Single(memberGroups);
            Assert.Equal(_network.DatacenterProcessGroup(datacenter), group);
            groups[datacenter] = group;
        }

        Assert.NotEqual(groups["primary"], groups["dr"]);
        Assert.DoesNotContain(ProcessGroup.Own(), groups.Values);
        // The purge log's Redis belongs to neither datacenter: it must survive the loss of either.
        Assert.DoesNotContain(GroupOf(ListeningProcess("127.0.0.1", Redis("control").Port)), groups.Values);
    }

    [Fact]
    public async Task KillingThePrimary_KillsItsWholeGroup_EdgesServeCachedPages_AndStartBringsItBackWithItsData()
    {
        foreach (var edge in _network.EdgeNodes)
        {
            (await ShopScenario.SiteGetAsync(edge.Url, "/products/103")).Dispose();
        }
        var gateway = new Uri(_network.Nodes.Single(n => n.Name == "primary-gw1").Url);
        var group = _network.DatacenterProcessGroup("primary")!.Value;
        var processes = ProcessGroup.Members(group);
        var redisProcess = ListeningProcess("127.0.0.1", Redis("primary").Port);
        // Acknowledged means in the append-only file already: Redis writes it before it answers, and a SIGKILL
        // loses only what is not yet written, unlike a machine's crash.
        var marker = Guid.NewGuid().ToString("N");
        using (var redis = await ConnectionMultiplexer.ConnectAsync(Redis("primary").Endpoint))
        {
            Assert.True(await redis.GetDatabase().StringSetAsync("dc-kill-test", marker));
        }

        using (var killed = await _client.PostAsync(_network.ControlUrl + "/v1/dc/primary/kill", null))
        {
            Assert.Equal(HttpStatusCode.OK, killed.StatusCode);
            Assert.Contains("\"state\":\"killed\"", await killed.Content.ReadAsStringAsync());
        }

        Assert.Contains(redisProcess, processes);
        Assert.True(processes.Count >= 2, $"the group held {processes.Count} process(es)");
        Assert.All(processes, pid => Assert.Null(ProcessGroup.GroupOf(pid)));
        Assert.Null(_network.DatacenterProcessGroup("primary"));
        await AssertRefusedAsync(gateway.Host, gateway.Port);
        await AssertRefusedAsync("127.0.0.1", Redis("primary").Port);
        foreach (var edge in _network.EdgeNodes)
        {
            using var page = await ShopScenario.SiteGetAsync(edge.Url, "/products/103");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using (var again = await _client.PostAsync(_network.ControlUrl + "/v1/dc/primary/kill", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var started = await _client.PostAsync(_network.ControlUrl + "/v1/dc/primary/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        using (var health = await _client.GetAsync(gateway + "healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        using (var redis = await ConnectionMultiplexer.ConnectAsync(Redis("primary").Endpoint + ",allowAdmin=true"))
        {
            Assert.Equal(marker, (string?)await redis.GetDatabase().StringGetAsync("dc-kill-test"));
            // It comes back as it was, a primary: making it DR's replica is the failback's step, not the start's.
            Assert.IsType<Role.Master>(await redis.GetServers().Single().RoleAsync());
        }
        var restarted = _network.DatacenterProcessGroup("primary")!.Value;
        Assert.NotEqual(group, restarted);
        Assert.Equal(restarted, GroupOf(ListeningProcess(gateway.Host, gateway.Port)));
        using (var twice = await _client.PostAsync(_network.ControlUrl + "/v1/dc/primary/start", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }
    }

    [Fact]
    public async Task ADrThatWasPromoted_KilledAndStartedAgain_ComesBackThePrimary_AndTakesWrites()
    {
        await Eventually.TrueAsync(async () => System.Text.Json.JsonDocument.Parse(await _client.GetStringAsync(_network.ControlUrl + "/v1/dc")).RootElement
            .GetProperty("datacenters").EnumerateArray().All(d => d.GetProperty("controlView").GetString() == "up"), Eventually.Patience, "both datacenters up");
        using (var switched = await _client.PostAsync(_network.ControlUrl + "/v1/dc/switchover",
            new StringContent("""{"to":"dr"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(switched.StatusCode == HttpStatusCode.OK, await switched.Content.ReadAsStringAsync());
        }

        (await _client.PostAsync(_network.ControlUrl + "/v1/dc/dr/kill", null)).Dispose();
        using (var started = await _client.PostAsync(_network.ControlUrl + "/v1/dc/dr/start", null))
        {
            Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync() + "\n" + _network.DatacenterOutput("dr"));
        }

        // The role the switch saved, not the one DR was first given (a replica of the primary, itself DR's replica now:
        // two replicas of each other, and no store that takes a write).
        using var redis = await ConnectionMultiplexer.ConnectAsync($"{Redis("dr").Endpoint},{Redis("primary").Endpoint},allowAdmin=true");
        Assert.IsType<Role.Master>(await redis.GetServer(Redis("dr").Endpoint).RoleAsync());
        await Eventually.TrueAsync(async () => await redis.GetServer(Redis("primary").Endpoint).RoleAsync() is Role.Replica { State: "connected" } replica
            && replica.MasterPort == Redis("dr").Port, Eventually.Patience, "the primary's Redis replicating DR's again");
        var node = _network.Nodes.Single(n => n.Name == "dr-1");
        await Eventually.TrueAsync(async () => (await _client.GetStringAsync(node.Url + "/healthz")).Contains("\"writable\":true", StringComparison.Ordinal),
            Eventually.Patience, "DR's node writable");
    }

    [Fact]
    public async Task ANodeInsideItsDatacentersGroup_IsRestartedByTheControlPlane_AndKilledAndRestartedByTheNetwork()
    {
        var node = _network.Nodes.Single(n => n.Name == "primary-2");
        using (var drained = await _client.PostAsync(_network.ControlUrl + "/v1/nodes/primary/primary-2/drain?wait=30", null))
        {
            Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
        }

        using (var restart = await _client.PostAsync(_network.ControlUrl + "/v1/nodes/primary/primary-2/restart", null))
        {
            Assert.True(restart.StatusCode == HttpStatusCode.OK, await restart.Content.ReadAsStringAsync());
        }
        (await _client.PostAsync(_network.ControlUrl + "/v1/nodes/primary/primary-2/undrain", null)).Dispose();

        Assert.Equal(1, _network.Nodes.Single(n => n.Name == "primary-2").Restarts);
        await _network.KillNodeAsync(node.Url);
        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync(node.Url + "/healthz"));
        await _network.RestartNodeAsync(node.Url);
        using var health = await _client.GetAsync(node.Url + "/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private RedisEndpoint Redis(string role) => _network.RedisServers.Single(r => r.Role == role);

    private static int GroupOf(int processId) => ProcessGroup.GroupOf(processId) ?? throw new InvalidOperationException($"process {processId} is gone");

    private static async Task AssertRefusedAsync(string address, int port)
    {
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Parse(address), port));
    }

    /// <summary>The pid that listens on <paramref name="address"/>:<paramref name="port"/>, as <c>ss -ltnp</c> reports it.</summary>
    private static int ListeningProcess(string address, int port)
    {
        var start = new ProcessStartInfo("ss", ["-Hltnp", $"sport = :{port}"]) { RedirectStandardOutput = true };
        using var ss = Process.Start(start)!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        var line = output.Split('\n').Single(l => l.Contains($"{address}:{port} ", StringComparison.Ordinal));
        return int.Parse(PidPattern().Match(line).Groups[1].Value);
    }

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidPattern();
}
