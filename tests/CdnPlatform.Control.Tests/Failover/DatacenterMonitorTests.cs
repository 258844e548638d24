using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>
/// The control plane's health monitor against real gateways' stand-ins (TestNode's <c>/healthz</c>) and a real
/// redis-server, read through <c>GET /v1/dc</c>.
/// </summary>
public sealed class DatacenterMonitorTests : IAsyncLifetime
{
    private const string OpsKey = "ops-key-0123456789abcdef";
    private readonly RedisServer _redis = new();
    private TestNode _primaryA = null!;
    private TestNode _primaryB = null!;
    private TestNode _dr = null!;
    private WebApplication _control = null!;
    private HttpClient _client = null!;
    private readonly CapturingLoggerProvider _logs = new();

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _primaryA = await TestNode.StartAsync("gateway-primary-1");
        _primaryB = await TestNode.StartAsync("gateway-primary-2");
        _dr = await TestNode.StartAsync("gateway-dr-1");
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:CdnPlatform.Control.Failover.DatacenterMonitor", "Information",
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:ApiKeys:0:Name", "ops", "--Control:ApiKeys:0:Sha256", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(OpsKey))),
            "--Control:ApiKeys:0:Sites:0", "*", "--Control:ApiKeys:0:Actions:0", "ops",
            "--Control:ApiKeys:1:Name", "cms", "--Control:ApiKeys:1:Sha256", new string('a', 64),
            "--Control:ApiKeys:1:Sites:0", "shop", "--Control:ApiKeys:1:Actions:0", "purge",
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Nodes:0", "primary-1",
            "--Control:Datacenters:0:Gateways:0", _primaryA.Host.Address.ToString(),
            "--Control:Datacenters:0:Gateways:1", _primaryB.Host.Address.ToString(),
            "--Control:Datacenters:0:Redis", _redis.Endpoint,
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Nodes:0", "dr-1",
            "--Control:Datacenters:1:Gateways:0", _dr.Host.Address.ToString(),
            "--Control:Failover:ProbeMilliseconds", "100", "--Control:Failover:FailAfter", "2", "--Control:Failover:RecoverAfter", "2",
        ];
        _control = ControlHost.Build(args, services =>
        {
            services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus());
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs);
        });
        await _control.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_control.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpsKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _control.DisposeAsync();
        await _primaryA.DisposeAsync();
        await _primaryB.DisposeAsync();
        await _dr.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<JsonElement> DatacenterAsync(string name)
    {
        using var response = await _client.GetAsync("/v1/dc");
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("datacenters").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);
    }

    private Task<JsonElement> UntilAsync(string datacenter, string controlView) => Eventually.ValueAsync(
        () => DatacenterAsync(datacenter), d => d.GetProperty("controlView").GetString() == controlView, Eventually.Patience,
        d => $"{datacenter} never became {controlView}: {d}");

    [Fact]
    public async Task HealthyDatacenters_AreUp_WithTheirRedisRoleAndOffset()
    {
        var primary = await UntilAsync("primary", "up");
        var dr = await UntilAsync("dr", "up");

        Assert.True(primary.GetProperty("active").GetBoolean());
        Assert.False(dr.GetProperty("active").GetBoolean());
        Assert.Equal("master", primary.GetProperty("redisRole").GetString());
        Assert.True(primary.GetProperty("replicationOffset").GetInt64() >= 0);
        // A primary has no link to one: only a replica's says whether it is linked.
        Assert.Equal(JsonValueKind.Null, primary.GetProperty("replicationLinkUp").ValueKind);
        Assert.Equal("up", primary.GetProperty("redis").GetProperty("state").GetString());
        Assert.All(primary.GetProperty("gateways").EnumerateArray(), g => Assert.Equal("up", g.GetProperty("state").GetString()));
        // Without Control:Datacenters:N:Redis there is nothing to probe, and the gateways alone decide.
        Assert.Equal(JsonValueKind.Null, dr.GetProperty("redis").ValueKind);
        Assert.False(primary.GetProperty("down").GetBoolean());
    }

    [Fact]
    public async Task OneGatewayDown_IsNotTheDatacenterDown_BothAre()
    {
        await UntilAsync("primary", "up");
        _primaryA.HealthStatus = 503;
        await Eventually.TrueAsync(async () =>
            (await DatacenterAsync("primary")).GetProperty("gateways")[0].GetProperty("state").GetString() == "down", Eventually.Patience, "gateway 1 down");
        Assert.Equal("up", (await DatacenterAsync("primary")).GetProperty("controlView").GetString());

        _primaryB.HealthStatus = 503;
        var down = await UntilAsync("primary", "down");
        Assert.Equal("/healthz answered 503", down.GetProperty("gateways")[1].GetProperty("lastError").GetString());
        // The control plane alone does not declare a datacenter down: the edges have to agree.
        Assert.False(down.GetProperty("down").GetBoolean());
        Assert.Equal("the control plane cannot reach it, and no edge reports a view to confirm it", down.GetProperty("reason").GetString());

        _primaryB.HealthStatus = 200;
        await UntilAsync("primary", "up");
    }

    [Fact]
    public async Task RedisGone_TakesTheDatacenterDown_AndBackWhenItReturns()
    {
        await UntilAsync("primary", "up");
        await _redis.StopAsync();
        var down = await UntilAsync("primary", "down");
        Assert.Equal("down", down.GetProperty("redis").GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(down.GetProperty("redis").GetProperty("lastError").GetString()));

        await _redis.StartAsync();
        await UntilAsync("primary", "up");

        // Ops see the loss and the recovery as warnings; the first verdicts at start-up are not warnings.
        var redisTransitions = _logs.Entries.Where(e => e.Message.StartsWith($"Datacenter primary: {_redis.Endpoint} is now", StringComparison.Ordinal))
            .Select(e => (e.Level, e.Message[(e.Message.IndexOf(" is now ", StringComparison.Ordinal) + 8)..].Split(' ')[0])).ToList();
        Assert.Equal([(LogLevel.Information, "Up"), (LogLevel.Warning, "Down"), (LogLevel.Warning, "Up")], redisTransitions);
    }

    [Fact]
    public async Task TheDatacenters_AreForOpsOnly()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };
        using var unauthorized = await anonymous.GetAsync("/v1/dc");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new string('x', 20));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(100, (await (await _client.GetAsync("/v1/dc")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("probeMilliseconds").GetInt32());
    }
}
