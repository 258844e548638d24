using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Failover;
using CdnPlatform.Edge;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>
/// The verdict with the edges' views, and the automatic failover, over real parts: two redis-servers (DR a replica of
/// the primary), a gateway per datacenter on its own address (127.0.64.1 primary, 127.0.64.2 DR), two real edges
/// (127.0.64.11, 127.0.64.12) whose site's origins are both gateways, and the control plane with
/// <c>Control:Failover:Automatic</c> on.
/// </summary>
public sealed class EdgeViewsFailoverTests : IAsyncLifetime
{
    private const string OpsKey = "ops-key-0123456789abcdef";
    private readonly RedisServer _primaryRedis = new();
    private readonly RedisServer _drRedis = new();
    private readonly List<WebApplication> _edges = [];
    private readonly string _audit = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
    private ConnectionMultiplexer _redis = null!;
    private PartitionableGateway _primary = null!;
    private PartitionableGateway _dr = null!;
    private WebApplication _control = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _primaryRedis.InitializeAsync();
        await _drRedis.InitializeAsync();
        _redis = await RedisReplicas.ReplicateAsync(_primaryRedis, _drRedis);

        var port = FreePort.On(IPAddress.Parse("127.0.64.1")).ToString(CultureInfo.InvariantCulture);
        _primary = await PartitionableGateway.StartAsync($"http://127.0.64.1:{port}");
        _dr = await PartitionableGateway.StartAsync($"http://127.0.64.2:{port}");
        foreach (var (name, address) in new[] { ("ams", "127.0.64.11"), ("fra", "127.0.64.12") })
        {
            var edge = EdgeHost.Build(
            [
                "--urls", $"http://{address}:0", "--Logging:LogLevel:Default", "Warning", "--Edge:Name", name,
                "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                "--Edge:Sites:0:Origins:0", _primary.Url, "--Edge:Sites:0:Origins:1", _dr.Url,
                "--Edge:OriginProbeMilliseconds", "100", "--Edge:OriginFailAfter", "2", "--Edge:OriginRecoverAfter", "2",
            ], s => s.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()));
            await edge.StartAsync();
            _edges.Add(edge);
        }
        _control = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:AuditLogPath", _audit,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", _edges[0].Urls.Single(),
            "--Control:Edges:1:Name", "fra", "--Control:Edges:1:Url", _edges[1].Urls.Single(),
            "--Control:ApiKeys:0:Name", "ops-anna", "--Control:ApiKeys:0:Sha256", Sha(OpsKey), "--Control:ApiKeys:0:Sites:0", "*", "--Control:ApiKeys:0:Actions:0", "ops",
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Nodes:0", "p1",
            "--Control:Datacenters:0:Gateways:0", _primary.Url, "--Control:Datacenters:0:Redis", _primaryRedis.Endpoint,
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Nodes:0", "d1",
            "--Control:Datacenters:1:Gateways:0", _dr.Url, "--Control:Datacenters:1:Redis", _drRedis.Endpoint,
            "--Control:Failover:ProbeMilliseconds", "100", "--Control:Failover:FailAfter", "2", "--Control:Failover:RecoverAfter", "2",
            "--Control:Failover:RoleSettleMilliseconds", "100", "--Control:Failover:Automatic", "true",
        ], services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()));
        await _control.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_control.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpsKey);
        await UntilAsync(dc => dc.All(d => d.GetProperty("controlView").GetString() == "up" && EdgeViews(d).SequenceEqual(["ams up", "fra up"])),
            "both datacenters up, for the control plane and both edges");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _control.DisposeAsync();
        foreach (var edge in _edges)
        {
            await edge.DisposeAsync();
        }
        await _primary.DisposeAsync();
        await _dr.DisposeAsync();
        _redis.Dispose();
        await _drRedis.DisposeAsync();
        await _primaryRedis.DisposeAsync();
        File.Delete(_audit);
    }

    [Fact]
    public async Task ControlPlaneCutOffFromTheActiveDatacenter_EdgesStillReachIt_NotDown_NoFailover()
    {
        _primary.CutOffFromControlPlane = true;

        var primary = await UntilAsync(dc => dc[0].GetProperty("controlView").GetString() == "down", "the control plane losing the primary");
        Assert.False(primary[0].GetProperty("down").GetBoolean(), primary[0].ToString());
        Assert.Equal(["ams up", "fra up"], EdgeViews(primary[0]));
        Assert.Equal("the control plane cannot reach it, but 2 of 2 edges still do: a partition, not a failure", primary[0].GetProperty("reason").GetString());

        // The policy decides after every round of probes: five more rounds of the partition, and it has not acted.
        var monitor = _control.Services.GetRequiredService<DatacenterMonitor>();
        for (var i = 0; i < 5; i++)
        {
            await monitor.NextRound.WaitAsync(Eventually.Patience);
        }
        var after = await DatacentersAsync();
        Assert.Equal("primary", after.GetProperty("active").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("lastSwitch").ValueKind);
        Assert.DoesNotContain(AuditLines(), l => l.GetProperty("key").GetString() == AutomaticFailover.AuditKey);
        Assert.True((await _redis.GetServer(_primaryRedis.Endpoint).RoleAsync()) is Role.Master);
    }

    [Fact]
    public async Task ActiveDatacenterLost_ForTheControlPlaneAndTheEdges_IsDown_AndFailedOverAutomaticallyOnce()
    {
        await _redis.GetDatabase().StringSetAsync("cart:anna", "101x2");

        await _primary.StopAsync();

        // The switch is reported once it has run every step.
        var view = await Eventually.ValueAsync(DatacentersAsync, v => v.GetProperty("lastSwitch").ValueKind == JsonValueKind.Object, Eventually.Patience,
            v => $"an automatic failover; /v1/dc says {v}");
        var last = view.GetProperty("lastSwitch");
        Assert.Equal(("failover", "primary", "dr", "done"), (last.GetProperty("kind").GetString(), last.GetProperty("from").GetString(),
            last.GetProperty("to").GetString(), last.GetProperty("outcome").GetString()));
        Assert.Equal("dr", view.GetProperty("active").GetString());
        Assert.Equal("open", _dr.WriteMode);
        Assert.True((await _redis.GetServer(_drRedis.Endpoint).RoleAsync()) is Role.Master);
        Assert.Equal("101x2", (string?)await _redis.GetServer(_drRedis.Endpoint).Multiplexer.GetDatabase().StringGetAsync("cart:anna"));
        var primary = view.GetProperty("datacenters")[0];
        Assert.True(primary.GetProperty("down").GetBoolean(), primary.ToString());
        Assert.Equal(["ams down", "fra down"], EdgeViews(primary));

        // One audit line says it was automatic and why; every step of the failover names the policy as who asked.
        var audit = AuditLines().Where(l => l.GetProperty("key").GetString() == AutomaticFailover.AuditKey).ToList();
        var decision = Assert.Single(audit, l => l.GetProperty("step").GetString() == "automatic");
        Assert.Equal(("primary", "dr"), (decision.GetProperty("from").GetString(), decision.GetProperty("to").GetString()));
        Assert.Equal("primary is down: the control plane and 2 of 2 edges cannot reach it; dr is up", decision.GetProperty("detail").GetString());
        Assert.Contains(audit, l => l.GetProperty("step").GetString() == "promote");

        // Spent until a person acts or the primary returns: more rounds bring no second failover.
        var monitor = _control.Services.GetRequiredService<DatacenterMonitor>();
        for (var i = 0; i < 5; i++)
        {
            await monitor.NextRound.WaitAsync(Eventually.Patience);
        }
        Assert.Single(AuditLines(), l => l.GetProperty("step").GetString() == "automatic");
        Assert.Equal("dr", (await DatacentersAsync()).GetProperty("active").GetString());
    }

    private static string Sha(string key) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    private static IEnumerable<string> EdgeViews(JsonElement datacenter) =>
        datacenter.GetProperty("edges").EnumerateArray().Select(e => $"{e.GetProperty("edge").GetString()} {e.GetProperty("view").GetString()}");

    private List<JsonElement> AuditLines() => [.. File.ReadAllLines(_audit).Select(l => JsonDocument.Parse(l).RootElement)
        .Where(l => l.TryGetProperty("operation", out _))];

    private async Task<JsonElement> DatacentersAsync() => await (await _client.GetAsync("/v1/dc")).Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement[]> UntilAsync(Func<JsonElement[], bool> until, string what) =>
        await Eventually.ValueAsync(async () => (await DatacentersAsync()).GetProperty("datacenters").EnumerateArray().ToArray(), until,
            Eventually.Patience, dc => $"{what}; /v1/dc says {string.Join(", ", dc.Select(d => d.ToString()))}");
}
