using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Failover;
using CdnPlatform.OriginGateway;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>
/// <c>POST /v1/dc/switchover</c> over real parts: two redis-servers (DR a replica of the primary), a real gateway per
/// datacenter over test nodes (each gateway on its own loopback address), and the control plane serving DNS, with its
/// own redis-server (purge log and failover state) outside both datacenters.
/// </summary>
public sealed class SwitchoverTests : IAsyncLifetime
{
    private const string OpsKey = "ops-key-0123456789abcdef";
    private const string CmsKey = "cms-key-0123456789abcdef";
    private const string GatewayKey = "gateway-key-0123456789";
    // Started from configuration files, as docker-compose.yml starts them: a switch saves their roles there.
    private readonly RedisServer _primaryRedis = new() { HasConfigurationFile = true };
    private readonly RedisServer _drRedis = new() { HasConfigurationFile = true };
    private readonly RedisServer _controlRedis = new();
    private readonly List<IAsyncDisposable> _started = [];
    private readonly string _audit = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
    private ConnectionMultiplexer _redis = null!;
    private RunningHost _primaryGateway = null!;
    private RunningHost _drGateway = null!;
    private TestNode _drNode = null!;
    private WebApplication _control = null!;
    private HttpClient _client = null!;
    private string[] _controlArgs = null!;
    private int _dnsPort;

    public async Task InitializeAsync()
    {
        await _primaryRedis.InitializeAsync();
        await _drRedis.InitializeAsync();
        await _controlRedis.InitializeAsync();
        _redis = await RedisReplicas.ReplicateAsync(_primaryRedis, _drRedis);

        _primaryGateway = await GatewayAsync("primary", await NodeAsync("p1"), "127.0.21.1");
        _drNode = await NodeAsync("d1");
        _drGateway = await GatewayAsync("dr", _drNode, "127.0.22.1");
        _dnsPort = FreePort.OnLoopback();
        _controlArgs =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:AuditLogPath", _audit,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test", "--Control:Sites:0:Zone", "shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:ApiKeys:0:Name", "ops-anna", "--Control:ApiKeys:0:Sha256", Sha(OpsKey), "--Control:ApiKeys:0:Sites:0", "*", "--Control:ApiKeys:0:Actions:0", "ops",
            "--Control:ApiKeys:1:Name", "cms", "--Control:ApiKeys:1:Sha256", Sha(CmsKey), "--Control:ApiKeys:1:Sites:0", "shop", "--Control:ApiKeys:1:Actions:0", "purge",
            "--Control:GatewayKey", GatewayKey,
            "--Control:Dns:Port", _dnsPort.ToString(CultureInfo.InvariantCulture),
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Nodes:0", "p1",
            "--Control:Datacenters:0:Gateways:0", _primaryGateway.Address.ToString(), "--Control:Datacenters:0:Redis", _primaryRedis.Endpoint,
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Nodes:0", "d1",
            "--Control:Datacenters:1:Gateways:0", _drGateway.Address.ToString(), "--Control:Datacenters:1:Redis", _drRedis.Endpoint,
            "--Control:Failover:ProbeMilliseconds", "100", "--Control:Failover:FailAfter", "2", "--Control:Failover:RecoverAfter", "2",
            "--Control:Failover:RoleSettleMilliseconds", "100", "--Control:DrainReassertSeconds", "1",
            "--Cluster:Transport", "redis", "--Cluster:Redis", _controlRedis.Endpoint,
        ];
        await StartControlAsync();
    }

    // A control plane on the fixture's datacenters and Redis; started again by a test, it is a restarted control plane.
    private async Task StartControlAsync()
    {
        _control = ControlHost.Build(_controlArgs, services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()));
        await _control.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_control.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpsKey);
        await Eventually.TrueAsync(async () =>
            (await DatacentersAsync()).GetProperty("datacenters").EnumerateArray().All(d => d.GetProperty("controlView").GetString() == "up"),
            Eventually.Patience, "both datacenters up");
    }

    private async Task RestartControlAsync()
    {
        _client.Dispose();
        await _control.DisposeAsync();
        await StartControlAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _control.DisposeAsync();
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
        _redis.Dispose();
        await _controlRedis.DisposeAsync();
        await _drRedis.DisposeAsync();
        await _primaryRedis.DisposeAsync();
        File.Delete(_audit);
    }

    private static string Sha(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<TestNode> NodeAsync(string name)
    {
        var node = await TestNode.StartAsync(name);
        _started.Add(node);
        return node;
    }

    private async Task<RunningHost> GatewayAsync(string datacenter, TestNode node, string address)
    {
        var gateway = await RunningHost.StartAsync(OriginGatewayHost.Build(
        [
            "--urls", $"http://{address}:0", "--Logging:LogLevel:Default", "Warning", "--Gateway:Datacenter", datacenter,
            "--Gateway:AdminKey", GatewayKey, "--Gateway:Nodes:0:Name", node.Name, "--Gateway:Nodes:0:Url", node.Host.Address.ToString(),
        ]));
        _started.Add(gateway);
        return gateway;
    }

    private Task UntilReplicatingAsync(RedisServer replica, RedisServer primary) => RedisReplicas.UntilReplicatingAsync(_redis, replica, primary);

    private async Task<JsonElement> DatacentersAsync() => await (await _client.GetAsync("/v1/dc")).Content.ReadFromJsonAsync<JsonElement>();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SwitchAsync(string body, HttpClient? client = null, string kind = "switchover")
    {
        using var response = await (client ?? _client).PostAsync("/v1/dc/" + kind, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<string> WriteModeAsync(RunningHost gateway)
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync(new Uri(gateway.Address, "/gateway/writes"))).RootElement.GetProperty("mode").GetString()!;
    }

    private static async Task<HttpResponseMessage> WriteAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cart/add") { Content = new StringContent("product=101") };
        request.Headers.Add(TestNode.RequestIdHeader, id);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Switchover_PromotesDr_RepointsDns_AndForwardsThePrimarysWrites_AndBack()
    {
        await _redis.GetDatabase().StringSetAsync("cart:anna", "101x2");

        var (status, report) = await SwitchAsync("""{"to":"dr"}""");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal("done", report.GetProperty("outcome").GetString());
        Assert.Equal(["check", "hold writes", "drain writes", "catch up", "promote", "settle", "repoint", "open target", "forward writes"],
            report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(0, report.GetProperty("behindBytes").GetInt64());
        // DR's store is the primary now, with every write; the old primary follows it.
        Assert.Equal("101x2", (string?)await _redis.GetServer(_drRedis.Endpoint).Multiplexer.GetDatabase().StringGetAsync("cart:anna"));
        Assert.True(_redis.GetServer(_drRedis.Endpoint).Role() is Role.Master);
        await UntilReplicatingAsync(_primaryRedis, _drRedis);
        var view = await DatacentersAsync();
        Assert.Equal("dr", view.GetProperty("active").GetString());
        Assert.Equal("done", view.GetProperty("lastSwitch").GetProperty("outcome").GetString());
        Assert.Equal("dr", (await _client.GetFromJsonAsync<JsonElement>("/v1/dns")).GetProperty("activeDatacenter").GetString());
        Assert.Equal("forward", await WriteModeAsync(_primaryGateway));
        Assert.Equal("open", await WriteModeAsync(_drGateway));
        // A visitor whose edge still goes to the old primary: the write is done at DR.
        using (var straggler = new HttpClient { BaseAddress = _primaryGateway.Address })
        using (var write = await WriteAsync(straggler, "late-write"))
        {
            Assert.Equal(HttpStatusCode.OK, write.StatusCode);
            Assert.True(_drNode.Received("late-write"));
        }

        var (again, idle) = await SwitchAsync("""{"to":"dr"}""");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("already active: nothing to do", idle.GetProperty("outcome").GetString());

        var (back, failback) = await SwitchAsync("""{"to":"primary"}""");
        Assert.True(back == HttpStatusCode.OK, failback.ToString());
        Assert.True(_redis.GetServer(_primaryRedis.Endpoint).Role() is Role.Master);
        await UntilReplicatingAsync(_drRedis, _primaryRedis);
        Assert.Equal("open", await WriteModeAsync(_primaryGateway));
        Assert.Equal("forward", await WriteModeAsync(_drGateway));

        // Every step is in the audit file, with who asked.
        var audit = File.ReadAllLines(_audit).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.TryGetProperty("operation", out _)).ToList();
        Assert.Contains(audit, l => l.GetProperty("step").GetString() == "promote" && l.GetProperty("to").GetString() == "dr");
        Assert.All(audit, l => Assert.Equal("ops-anna", l.GetProperty("key").GetString()));
    }

    // A visitor writing through one gateway, one write after another, until stopped: each write's id and status.
    private static Task<List<(string Id, HttpStatusCode Status)>> WriteUntilAsync(RunningHost gateway, string prefix, CancellationToken stop) => Task.Run(async () =>
    {
        using var visitor = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        var outcomes = new List<(string Id, HttpStatusCode Status)>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            using var response = await WriteAsync(visitor, $"{prefix}{i}");
            outcomes.Add(($"{prefix}{i}", response.StatusCode));
        }
        return outcomes;
    });

    [Fact]
    public async Task WritesDuringASwitchover_AllSucceed_NoneIsLost()
    {
        using var stop = new CancellationTokenSource();
        var writes = WriteUntilAsync(_primaryGateway, "w", stop.Token);
        await Task.Delay(200);

        var (status, report) = await SwitchAsync("""{"to":"dr"}""");
        await Task.Delay(200);
        stop.Cancel();
        var outcomes = await writes;

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.True(outcomes.Count > 2, $"only {outcomes.Count} writes were sent");
        Assert.All(outcomes, o => Assert.Equal(HttpStatusCode.OK, o.Status));
        var nodes = _started.OfType<TestNode>().ToList();
        Assert.All(outcomes, o => Assert.Single(nodes, n => n.Received(o.Id)));
    }

    [Fact]
    public async Task BadSwitchovers_AreRefused_WithTheReason_AndChangeNothing()
    {
        using var cms = new HttpClient { BaseAddress = _client.BaseAddress };
        cms.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CmsKey);

        var (unknown, unknownBody) = await SwitchAsync("""{"to":"mars"}""");
        var (forbidden, _) = await SwitchAsync("""{"to":"dr"}""", cms);
        _drNode.HealthStatus = 503;
        await Eventually.TrueAsync(async () => (await DatacentersAsync()).GetProperty("datacenters")[1].GetProperty("controlView").GetString() == "down",
            Eventually.Patience, "dr down");
        var (unhealthy, unhealthyBody) = await SwitchAsync("""{"to":"dr"}""");
        var (unhealthyFailover, unhealthyFailoverBody) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");

        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal("to", unknownBody.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(HttpStatusCode.Conflict, unhealthy);
        Assert.StartsWith("dr is down (", unhealthyBody.GetProperty("error").GetString());
        Assert.EndsWith("switch to it anyway with force", unhealthyBody.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Conflict, unhealthyFailover);
        Assert.EndsWith("fail over to it anyway with force", unhealthyFailoverBody.GetProperty("error").GetString());
        Assert.True(_redis.GetServer(_primaryRedis.Endpoint).Role() is Role.Master);
        Assert.Equal("open", await WriteModeAsync(_primaryGateway));
        Assert.Equal("primary", (await DatacentersAsync()).GetProperty("active").GetString());
    }

    [Fact]
    public async Task AReplicaThatIsNotReplicating_StopsTheSwitchoverBeforeThePromotion_AndWritesReopen()
    {
        // DR is cut off from the primary (a primary of its own): the switchover cannot know it has every write. (With the
        // fence on sight on, the control plane would make it a replica again before the switchover.)
        _controlArgs = [.. _controlArgs, "--Control:Failover:FenceReturningPrimaries", "false"];
        await RestartControlAsync();
        await _redis.GetServer(_drRedis.Endpoint).MakePrimaryAsync(ReplicationChangeOptions.None);

        var (status, body) = await SwitchAsync("""{"to":"dr","force":true}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("is a primary already", body.GetProperty("error").GetString());
        Assert.Equal("open", await WriteModeAsync(_primaryGateway));
        Assert.Equal("primary", (await DatacentersAsync()).GetProperty("active").GetString());
        var last = (await DatacentersAsync()).GetProperty("lastSwitch");
        Assert.StartsWith("refused: ", last.GetProperty("outcome").GetString());
        Assert.Contains(last.GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "reopen writes");
    }

    [Fact]
    public async Task Failover_FromADeadPrimary_PromotesDr_RepointsDns_AndSaysWhatMayBeLost()
    {
        await _redis.GetDatabase().StringSetAsync("cart:bob", "202x1");
        await UntilCaughtUpAsync();
        await _primaryGateway.StopAsync();
        await _primaryRedis.StopAsync();
        await Eventually.TrueAsync(async () => (await DatacentersAsync()).GetProperty("datacenters")[0].GetProperty("controlView").GetString() == "down",
            Eventually.Patience, "primary down");

        var (status, report) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(("failover", "done"), (report.GetProperty("kind").GetString(), report.GetProperty("outcome").GetString()));
        // Everything was replicated before the primary died.
        Assert.Equal(0, report.GetProperty("behindBytes").GetInt64());
        var steps = report.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("step").GetString()!, s => s.GetProperty("detail").GetString()!);
        // Not connected to: the monitor sees its Redis down already, or the connect fails.
        Assert.Matches("Redis is (down at the last probes|unreachable)", steps["fence redis"]);
        // Its gateway did not answer the hold: the failover went on without it.
        Assert.StartsWith($"primary: {_primaryGateway.Address}", steps["fence writes"]);
        Assert.True(_redis.GetServer(_drRedis.Endpoint).Role() is Role.Master);
        Assert.Equal("202x1", (string?)await _redis.GetDatabase().StringGetAsync("cart:bob"));
        Assert.Equal("dr", (await DatacentersAsync()).GetProperty("active").GetString());
        Assert.Equal("dr", (await _client.GetFromJsonAsync<JsonElement>("/v1/dns")).GetProperty("activeDatacenter").GetString());
    }

    [Fact]
    public async Task Failover_FromAStalledPrimary_GivesItsGatewayOneProbeIntervalToHoldWrites()
    {
        // A paused host: its address still accepts connections (the kernel does that), nothing answers on them.
        var address = _primaryGateway.Address;
        await _primaryGateway.StopAsync();
        using var stalled = new TcpListener(IPAddress.Parse(address.Host), address.Port);
        stalled.Start();
        await _primaryRedis.StopAsync();
        await Eventually.TrueAsync(async () => (await DatacentersAsync()).GetProperty("datacenters")[0].GetProperty("controlView").GetString() == "down",
            Eventually.Patience, "primary down");

        var (status, report) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal("done", report.GetProperty("outcome").GetString());
        var steps = report.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("step").GetString()!, s => s.GetProperty("detail").GetString()!);
        // The monitor's probe interval (100 ms here), not the gateway client's 2 s: the wait comes before the promotion.
        Assert.Equal($"primary: {address}: no answer within 100 ms", steps["fence writes"]);
        Assert.True(_redis.GetServer(_drRedis.Endpoint).Role() is Role.Master);
        Assert.Equal("dr", (await DatacentersAsync()).GetProperty("active").GetString());
    }

    [Fact]
    public async Task Failover_FromAPrimaryThatStillAnswers_FencesIt()
    {
        var (status, report) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(0, report.GetProperty("behindBytes").GetInt64());
        Assert.True(_redis.GetServer(_drRedis.Endpoint).Role() is Role.Master);
        // The old primary cannot take writes apart from the new one: its Redis follows DR, its gateways forward.
        await UntilReplicatingAsync(_primaryRedis, _drRedis);
        Assert.Equal("forward", await WriteModeAsync(_primaryGateway));
    }

    [Fact]
    public async Task AfterAFailover_BothRedisKeepTheirNewRoles_ThroughACrashOfBoth()
    {
        var (status, report) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        var steps = report.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("step").GetString()!, s => s.GetProperty("detail").GetString()!);
        Assert.EndsWith("saved in its configuration file", steps["promote"]);
        Assert.EndsWith("saved in its configuration file", steps["fence redis"]);
        await UntilReplicatingAsync(_primaryRedis, _drRedis);

        // Killed and started again, each takes the role its file says now, not the one it was first started with:
        // DR (seeded as a replica) stays primary, the old primary stays its replica and takes no writes apart.
        await _drRedis.StopAsync();
        await _primaryRedis.StopAsync();
        await _drRedis.StartAsync();
        await _primaryRedis.StartAsync();
        using var dr = await AloneAsync(_drRedis);
        using var primary = await AloneAsync(_primaryRedis);
        Assert.True(await dr.GetServer(_drRedis.Endpoint).RoleAsync() is Role.Master);
        Assert.True(await primary.GetServer(_primaryRedis.Endpoint).RoleAsync() is Role.Replica { MasterPort: var port } && port == _drRedis.Port);
    }

    private Task UntilCaughtUpAsync() => Eventually.TrueAsync(async () =>
    {
        var primary = (await _redis.GetServer(_primaryRedis.Endpoint).InfoAsync("replication")).SelectMany(s => s).ToDictionary(p => p.Key, p => p.Value);
        var replica = (await _redis.GetServer(_drRedis.Endpoint).InfoAsync("replication")).SelectMany(s => s).ToDictionary(p => p.Key, p => p.Value);
        return replica["slave_repl_offset"] == primary["master_repl_offset"];
    }, Eventually.Patience, "DR caught up");

    [Fact]
    public async Task WriteModes_AreReasserted_SoARestartedGatewayForwardsAgain()
    {
        // Before any switch: DR's nodes are replicas, so its gateway forwards writes to the primary's.
        await Eventually.TrueAsync(async () => await WriteModeAsync(_drGateway) == "forward", Eventually.Patience, "DR forwards");
        Assert.Equal("open", await WriteModeAsync(_primaryGateway));

        // A restarted gateway starts with writes open; the control plane sets it right again.
        using var http = new HttpClient { BaseAddress = _drGateway.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayKey);
        (await http.PutAsync("/gateway/writes", new StringContent("""{"mode":"open"}""", Encoding.UTF8, "application/json"))).Dispose();
        Assert.Equal("open", await WriteModeAsync(_drGateway));
        await Eventually.TrueAsync(async () => await WriteModeAsync(_drGateway) == "forward", Eventually.Patience, "DR forwards again");
        using var write = await WriteAsync(http, "dr-visitor-write");
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        Assert.False(_drNode.Received("dr-visitor-write"));
    }

    private async Task<IReadOnlyList<string>> OriginAddressesAsync() =>
        [.. (await Dig.AskAsync(_dnsPort, "origin.shop.test", "A")).Section("ANSWER").Select(a => a[4])];

    private async Task<ConnectionMultiplexer> AloneAsync(RedisServer server)
    {
        // This server only: the fixture's multiplexer would send a write to whichever it takes for the primary.
        var connection = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},allowAdmin=true");
        _started.Add(connection);
        return connection;
    }

    [Fact]
    public async Task AfterAFailover_ARestartedControlPlane_KeepsDrActive_AndItsDnsAnswersDrsGateways()
    {
        var (status, report) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");
        Assert.True(status == HttpStatusCode.OK, report.ToString());

        await RestartControlAsync();

        var view = await DatacentersAsync();
        Assert.Equal(("dr", "idle", "primary"), (view.GetProperty("active").GetString(), view.GetProperty("state").GetString(),
            view.GetProperty("previousActive").GetString()));
        Assert.Equal("failover", view.GetProperty("lastSwitch").GetProperty("kind").GetString());
        Assert.Equal(["127.0.22.1"], await OriginAddressesAsync());
        // The restarted control plane re-asserts the write modes for DR: a primary gateway that opened its writes forwards again.
        using var http = new HttpClient { BaseAddress = _primaryGateway.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayKey);
        (await http.PutAsync("/gateway/writes", new StringContent("""{"mode":"open"}""", Encoding.UTF8, "application/json"))).Dispose();
        await Eventually.TrueAsync(async () => await WriteModeAsync(_primaryGateway) == "forward", Eventually.Patience, "the primary's gateway forwards to DR");
    }

    [Fact]
    public async Task ASwitchoverHalfDone_IsShownByARestartedControlPlane_AndTheSameCommandFinishesIt()
    {
        // The control plane stopped right after promoting DR: the state it saved says so, origin. still names the primary.
        await _redis.GetServer(_drRedis.Endpoint).MakePrimaryAsync(ReplicationChangeOptions.ReplicateToOtherEndpoints);
        await UntilReplicatingAsync(_primaryRedis, _drRedis);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await new RedisFailoverStateStore(await AloneAsync(_controlRedis), "cdn").SaveAsync(
            new FailoverState(FailoverState.SwitchingOver, "primary", "dr", "promote", since, null, null), CancellationToken.None);
        await RestartControlAsync();

        var halfDone = await DatacentersAsync();
        var (status, report) = await SwitchAsync("""{"to":"dr"}""");

        Assert.Equal(("switching-over", "promote", "primary"), (halfDone.GetProperty("state").GetString(), halfDone.GetProperty("step").GetString(),
            halfDone.GetProperty("active").GetString()));
        Assert.Equal(since.ToUnixTimeMilliseconds(), halfDone.GetProperty("since").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Contains("primary already", report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "promote")
            .GetProperty("detail").GetString());
        var done = await DatacentersAsync();
        Assert.Equal(("dr", "idle"), (done.GetProperty("active").GetString(), done.GetProperty("state").GetString()));
        Assert.Equal(["127.0.22.1"], await OriginAddressesAsync());
        Assert.Equal("forward", await WriteModeAsync(_primaryGateway));
    }

    /// <summary>
    /// A failover to DR, then the primary's Redis back as a primary of its own, as one killed before the failover could
    /// fence it comes back, with a write DR never had (<c>cart:stale</c>); DR takes one meanwhile (<c>cart:carla</c>).
    /// Returns a connection to the primary's Redis alone.
    /// </summary>
    private async Task<ConnectionMultiplexer> FailOverAndBringThePrimaryBackStaleAsync()
    {
        var (failedOver, failover) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");
        Assert.True(failedOver == HttpStatusCode.OK, failover.ToString());
        await UntilReplicatingAsync(_primaryRedis, _drRedis);
        await _redis.GetServer(_primaryRedis.Endpoint).ExecuteAsync("REPLICAOF", "NO", "ONE");
        var stale = await AloneAsync(_primaryRedis);
        await stale.GetDatabase().StringSetAsync("cart:stale", "only on the old primary");
        await (await AloneAsync(_drRedis)).GetDatabase().StringSetAsync("cart:carla", "303x1");
        return stale;
    }

    [Fact]
    public async Task Failback_ResyncsAPrimaryThatCameBackStale_AsAReplica_AndSwitchesBack_WithEveryWriteDone()
    {
        // Left to the failback: with the fence on sight off, the stale primary stays one until then.
        _controlArgs = [.. _controlArgs, "--Control:Failover:FenceReturningPrimaries", "false"];
        await RestartControlAsync();
        var stale = await FailOverAndBringThePrimaryBackStaleAsync();
        using var stop = new CancellationTokenSource();
        var writes = WriteUntilAsync(_drGateway, "fb", stop.Token);
        // Writes before, during and after it: the resync alone can take a few milliseconds.
        await Task.Delay(200);

        var (status, report) = await SwitchAsync("{}", kind: "failback");
        await Task.Delay(200);
        stop.Cancel();
        var outcomes = await writes;

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(("failback", "dr", "primary", "done"), (report.GetProperty("kind").GetString(), report.GetProperty("from").GetString(),
            report.GetProperty("to").GetString(), report.GetProperty("outcome").GetString()));
        var steps = report.GetProperty("steps").EnumerateArray().Select(s => (Step: s.GetProperty("step").GetString(), Detail: s.GetProperty("detail").GetString()!)).ToList();
        Assert.Equal(["check", "resync", "in sync", "check", "hold writes", "drain writes", "catch up", "promote", "settle", "repoint", "open target", "forward writes"],
            steps.Select(s => s.Step));
        Assert.Contains("was a primary", steps[1].Detail);
        Assert.Equal(0, report.GetProperty("behindBytes").GetInt64());
        // The resync replaced the stale primary's data with DR's; it is the primary again, DR its replica.
        Assert.True(_redis.GetServer(_primaryRedis.Endpoint).Role() is Role.Master);
        await UntilReplicatingAsync(_drRedis, _primaryRedis);
        Assert.False(await stale.GetDatabase().KeyExistsAsync("cart:stale"));
        Assert.Equal("303x1", (string?)await stale.GetDatabase().StringGetAsync("cart:carla"));
        Assert.Equal(("primary", "idle"), ((await DatacentersAsync()).GetProperty("active").GetString(), (await DatacentersAsync()).GetProperty("state").GetString()));
        Assert.Equal(["127.0.21.1"], await OriginAddressesAsync());
        Assert.Equal("open", await WriteModeAsync(_primaryGateway));
        Assert.Equal("forward", await WriteModeAsync(_drGateway));
        Assert.True(outcomes.Count > 2, $"only {outcomes.Count} writes were sent");
        Assert.All(outcomes, o => Assert.Equal(HttpStatusCode.OK, o.Status));
        var nodes = _started.OfType<TestNode>().ToList();
        Assert.All(outcomes, o => Assert.Single(nodes, n => n.Received(o.Id)));

        var (again, idle) = await SwitchAsync("{}", kind: "failback");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("already active: nothing to do", idle.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task APrimaryThatCameBackAfterAFailover_IsFencedOnSight_AsAReplicaOfTheActiveOne_AndTheFailbackFindsItResynced()
    {
        var stale = await FailOverAndBringThePrimaryBackStaleAsync();

        await UntilReplicatingAsync(_primaryRedis, _drRedis);
        await Eventually.TrueAsync(async () => (string?)await stale.GetDatabase().StringGetAsync("cart:carla") == "303x1", Eventually.Patience,
            "the fenced primary resynced from dr");
        Assert.False(await stale.GetDatabase().KeyExistsAsync("cart:stale"));
        var fence = File.ReadAllLines(_audit).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.TryGetProperty("operation", out var operation) && operation.GetString() == "fence");
        Assert.Equal(("control-plane", "fence redis", "primary", "dr"), (fence.GetProperty("key").GetString(), fence.GetProperty("step").GetString(),
            fence.GetProperty("from").GetString(), fence.GetProperty("to").GetString()));
        Assert.Contains("came back a primary with", fence.GetProperty("detail").GetString());
        // DR stays the primary; the failback has nothing left to resync.
        Assert.True(_redis.GetServer(_drRedis.Endpoint).Role() is Role.Master);
        var (status, report) = await SwitchAsync("{}", kind: "failback");
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Contains("already", report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "resync")
            .GetProperty("detail").GetString());
        Assert.True(_redis.GetServer(_primaryRedis.Endpoint).Role() is Role.Master);
    }

    [Fact]
    public async Task Failback_WhileTheTargetsRedisIsDown_IsRefused_WithTheReason_AndChangesNothing()
    {
        var (failedOver, failover) = await SwitchAsync("""{"to":"dr"}""", kind: "failover");
        Assert.True(failedOver == HttpStatusCode.OK, failover.ToString());
        await _primaryRedis.StopAsync();

        var (status, body) = await SwitchAsync("""{"to":"primary","force":true}""", kind: "failback");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"primary's Redis at {_primaryRedis.Endpoint} does not answer: start it again, then fail back (it is resynced from dr's)",
            body.GetProperty("error").GetString());
        var view = await DatacentersAsync();
        Assert.Equal(("dr", "idle"), (view.GetProperty("active").GetString(), view.GetProperty("state").GetString()));
        Assert.StartsWith("refused: ", view.GetProperty("lastSwitch").GetProperty("outcome").GetString());
        Assert.True(_redis.GetServer(_drRedis.Endpoint).Role() is Role.Master);
        Assert.Equal("open", await WriteModeAsync(_drGateway));
        Assert.Equal("forward", await WriteModeAsync(_primaryGateway));
        Assert.Equal(["127.0.22.1"], await OriginAddressesAsync());
    }

    [Fact]
    public async Task BadFailbacks_AreRefused_AndOneToTheActiveDatacenter_HasNothingToDo()
    {
        using var cms = new HttpClient { BaseAddress = _client.BaseAddress };
        cms.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CmsKey);

        var (forbidden, forbiddenBody) = await SwitchAsync("{}", cms, kind: "failback");
        var (unknown, unknownBody) = await SwitchAsync("""{"to":"mars"}""", kind: "failback");
        // No switch yet: a failback goes to the configured datacenter, active already.
        var (idle, idleBody) = await SwitchAsync("{}", kind: "failback");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Contains("needs 'ops'", forbiddenBody.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal("to", unknownBody.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, idle);
        Assert.Equal(("primary", "already active: nothing to do"), (idleBody.GetProperty("to").GetString(), idleBody.GetProperty("outcome").GetString()));
        Assert.True(_redis.GetServer(_primaryRedis.Endpoint).Role() is Role.Master);
        Assert.Equal("primary", (await DatacentersAsync()).GetProperty("active").GetString());
    }
}
