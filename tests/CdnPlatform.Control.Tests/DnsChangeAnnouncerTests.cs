using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Control.Tests;

/// <summary>Every change of the active datacenter goes out on the cluster bus, so edges re-resolve at once.</summary>
public sealed class DnsChangeAnnouncerTests
{
    private const string Key = "test-api-key-0123456789";

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(Action<IServiceCollection> services, params string[] extra)
    {
        var app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Sites:0:Zone", "shop.test",
            "--Control:Dns:Port", FreePort.OnLoopback().ToString(CultureInfo.InvariantCulture),
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.1:8080",
            "--Control:Datacenters:0:Nodes:0", "primary-1",
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Gateways:0", "http://127.0.22.1:8080",
            "--Control:Datacenters:1:Nodes:0", "dr-1",
            .. extra,
        ], services);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return (app, client);
    }

    private static async Task<uint> SetActiveAsync(HttpClient client, string datacenter)
    {
        using var response = await client.PutAsync("/v1/dns/active", new StringContent($$"""{"datacenter":"{{datacenter}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var zone = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("zones")[0];
        return zone.GetProperty("serial").GetUInt32();
    }

    [Fact]
    public async Task TheZonesServedAtStart_AndEveryChange_AreAnnounced_WithTheirZonesAndSerial_InOrder()
    {
        var bus = new InMemoryDnsChangeBus();
        var received = Channel.CreateUnbounded<DnsChange>();
        await using var _ = await bus.SubscribeAsync(c => received.Writer.WriteAsync(c).AsTask());
        var (app, client) = await StartAsync(services => services.AddSingleton<IDnsChangeBus>(bus));
        await using var __ = app;

        // The start-up zones first: edges that were serving stale answers while the control plane was away ask again now.
        var atStart = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        Assert.Equal(["shop.test."], atStart.Zones);
        using (var dns = await client.GetAsync("/v1/dns"))
        {
            var served = JsonDocument.Parse(await dns.Content.ReadAsStringAsync()).RootElement.GetProperty("zones")[0].GetProperty("serial").GetUInt32();
            Assert.Equal(served, atStart.Serial);
        }

        var toDr = await SetActiveAsync(client, "dr");
        var back = await SetActiveAsync(client, "primary");

        var first = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        var second = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        Assert.Equal(["shop.test."], first.Zones);
        Assert.Equal((toDr, back), (first.Serial, second.Serial));
        Assert.True(second.Serial > first.Serial && first.Serial > atStart.Serial);
        Assert.False(received.Reader.TryRead(out var more), $"announced again: serial {more?.Serial}");
    }

    [Fact]
    public async Task RedisDown_TheChangeStillTakesEffect_AndTheLostSignalIsLogged()
    {
        var logs = new CapturingLoggerProvider();
        var deadPort = FreePort.OnLoopback();
        var (app, client) = await StartAsync(services => services.AddSingleton<ILoggerProvider>(logs),
            "--Cluster:Transport", "redis", "--Cluster:Redis", $"127.0.0.1:{deadPort},connectTimeout=300");
        await using var _ = app;

        await SetActiveAsync(client, "dr");

        await Eventually.TrueAsync(
            () => logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Could not tell the edges to re-resolve shop.test.", StringComparison.Ordinal)),
            () => "no warning about the lost signal");
        using var status = await client.GetAsync("/v1/dns");
        Assert.Contains("\"activeDatacenter\":\"dr\"", await status.Content.ReadAsStringAsync());
    }
}
