using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests.SiteDns;

/// <summary>
/// The whole control plane pushing <c>shop.test</c> to a real BIND 9 by signed dynamic update
/// (<c>Control:Dns:Secondaries</c>), checked with dig against BIND and in <c>/v1/dns</c> and <c>/v1/status</c>.
/// </summary>
public sealed class BindSecondaryTests : IAsyncLifetime
{
    private const string OpsKey = "ops-key-0123456789abcdef";

    // Retries back off to several seconds: bounds on waiting, not on speed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly BindServer _bind = new();
    private WebApplication? _app;
    private HttpClient _client = null!;
    // The POPs: www. lists the ones whose /healthz answers 200 (Control:Dns:PopHealth).
    private TestNode _ams = null!;
    private TestNode _nyc = null!;

    public async Task InitializeAsync()
    {
        _ams = await TestNode.StartAsync("ams", url: "http://127.0.10.1:0");
        _nyc = await TestNode.StartAsync("nyc", url: "http://127.0.10.2:0");
        await _bind.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await _bind.DisposeAsync();
        await _ams.DisposeAsync();
        await _nyc.DisposeAsync();
    }

    private async Task StartControlPlaneAsync(string keySecret)
    {
        _app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:ApiKey", OpsKey,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test", "--Control:Sites:0:Zone", "shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", _ams.Host.Address.ToString(),
            "--Control:Edges:1:Name", "nyc", "--Control:Edges:1:Url", _nyc.Host.Address.ToString(),
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.1:8080",
            "--Control:Datacenters:0:Gateways:1", "http://127.0.21.2:8080", "--Control:Datacenters:0:Nodes:0", "primary-1",
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Gateways:0", "http://127.0.22.1:8080",
            "--Control:Datacenters:1:Nodes:0", "dr-1",
            "--Control:Dns:Port", FreePort.OnLoopback().ToString(CultureInfo.InvariantCulture),
            "--Control:Dns:Secondaries:0:Server", _bind.Server, "--Control:Dns:Secondaries:0:Zone", "shop.test",
            "--Control:Dns:Secondaries:0:KeyName", BindServer.KeyName, "--Control:Dns:Secondaries:0:KeySecret", keySecret,
        ], services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpsKey);
    }

    private async Task<JsonElement> GetAsync(string path) => await _client.GetFromJsonAsync<JsonElement>(path);

    private async Task<JsonElement> SecondaryAsync() => (await GetAsync("/v1/dns")).GetProperty("secondaries")[0];

    // Read from one document: a POP's health may publish a new serial between two reads.
    private Task<JsonElement> AckedTheServedZoneAsync() => Eventually.ValueAsync(() => GetAsync("/v1/dns"),
        dns => dns.GetProperty("secondaries")[0].GetProperty("state").GetString() == "in-sync"
            && dns.GetProperty("secondaries")[0].GetProperty("ackedSerial").GetUInt32() == dns.GetProperty("zones")[0].GetProperty("serial").GetUInt32(),
        Patience, dns => $"/v1/dns: {dns}");

    private Task<IReadOnlyList<string>> BindServesAsync(string[] addresses, string name = "origin.shop.test") =>
        Eventually.ValueAsync(() => _bind.AddressesAsync(name), a => a.SequenceEqual(addresses), Patience,
            a => $"BIND answers {name} with [{string.Join(", ", a)}], not [{string.Join(", ", addresses)}]; {_bind.Output}");

    private Task<JsonElement> SecondaryWhereAsync(Func<JsonElement, bool> until) =>
        Eventually.ValueAsync(SecondaryAsync, until, Patience, s => $"secondary: {s}");

    private async Task FlipToDrAsync()
    {
        using var response = await _client.PutAsync("/v1/dns/active", new StringContent("""{"datacenter":"dr"}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Bind_ServesTheGateways_AfterStartUp_AndTheDrGatewaysAfterAFlip_WithStandbyTheOtherWay()
    {
        await StartControlPlaneAsync(_bind.KeySecret);

        await BindServesAsync(["127.0.21.1", "127.0.21.2"]);
        await BindServesAsync(["127.0.22.1"], "standby.shop.test");
        await BindServesAsync(["127.0.10.1", "127.0.10.2"], "www.shop.test");
        var synced = (await AckedTheServedZoneAsync()).GetProperty("secondaries")[0];
        Assert.Equal((_bind.Server, "shop.test.", "cdn-key."),
            (synced.GetProperty("server").GetString(), synced.GetProperty("zone").GetString(), synced.GetProperty("keyName").GetString()));

        await FlipToDrAsync();

        await BindServesAsync(["127.0.22.1"]);
        await BindServesAsync(["127.0.21.1", "127.0.21.2"], "standby.shop.test");
        await AckedTheServedZoneAsync();
        var summary = (await GetAsync("/v1/status")).GetProperty("dnsSecondaries")[0];
        Assert.Equal("in-sync", summary.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task APopGoingDown_LeavesWwwOnBind_AndComingBackReturnsToIt()
    {
        await StartControlPlaneAsync(_bind.KeySecret);
        await BindServesAsync(["127.0.10.1", "127.0.10.2"], "www.shop.test");

        _ams.HealthStatus = 503;
        await BindServesAsync(["127.0.10.2"], "www.shop.test");

        _ams.HealthStatus = 200;
        await BindServesAsync(["127.0.10.1", "127.0.10.2"], "www.shop.test");
        await AckedTheServedZoneAsync();
    }

    [Fact]
    public async Task AWrongSecret_ShowsAsNotAuthBadSig_AndIsRetried_WhileBindKeepsItsZone()
    {
        await StartControlPlaneAsync(Convert.ToBase64String(new byte[32]));

        var failing = await SecondaryWhereAsync(s => s.GetProperty("attempts").GetInt32() >= 2);
        Assert.Equal(("retrying", "NOTAUTH (TSIG BADSIG)"), (failing.GetProperty("state").GetString(), failing.GetProperty("lastError").GetString()));
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("ackedSerial").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, failing.GetProperty("nextRetry").ValueKind);
        var summary = (await GetAsync("/v1/status")).GetProperty("dnsSecondaries")[0];
        Assert.Equal(("retrying", "NOTAUTH (TSIG BADSIG)"), (summary.GetProperty("state").GetString(), summary.GetProperty("lastError").GetString()));
        Assert.Equal("NXDOMAIN", (await _bind.AskAsync("origin.shop.test", "A")).Status);
        Assert.Contains("tsig verify failure (BADSIG)", _bind.Output);
    }

    [Fact]
    public async Task BindStartedLate_IsGivenTheZones_OnceItAnswers()
    {
        await _bind.StopAsync();
        await StartControlPlaneAsync(_bind.KeySecret);
        await SecondaryWhereAsync(s => s.GetProperty("attempts").GetInt32() >= 1 && s.GetProperty("state").GetString() == "retrying");

        await _bind.StartAsync();

        await BindServesAsync(["127.0.21.1", "127.0.21.2"]);
        await AckedTheServedZoneAsync();
    }

    [Fact]
    public async Task AFlipWhileBindIsDown_ReachesItWhenItIsBack()
    {
        await StartControlPlaneAsync(_bind.KeySecret);
        await BindServesAsync(["127.0.21.1", "127.0.21.2"]);
        await _bind.StopAsync();

        await FlipToDrAsync();
        await SecondaryWhereAsync(s => s.GetProperty("state").GetString() == "retrying");
        await _bind.StartAsync();

        await BindServesAsync(["127.0.22.1"]);
        await AckedTheServedZoneAsync();
    }
}
