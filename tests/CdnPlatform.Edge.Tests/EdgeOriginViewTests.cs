using System.Net;
using System.Net.Http.Json;
using CdnPlatform.Cluster.Health;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// <c>GET /edge/origins</c>: the edge's own view of each origin address (a datacenter's gateway pair here, on
/// 127.0.63.1 and 127.0.63.2), from its probes of their <c>/healthz</c> and its visitors' fetches.
/// </summary>
public sealed class EdgeOriginViewTests
{
    private static readonly IPAddress AddressA = IPAddress.Parse("127.0.63.1");
    private static readonly IPAddress AddressB = IPAddress.Parse("127.0.63.2");
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task OriginStopped_IsDownInTheEdgesView_AndUpOnceBack()
    {
        var a = await TestNode.StartAsync("gateway-a", url: $"http://{AddressA}:0");
        var port = a.Host.Address.Port;
        await using var b = await TestNode.StartAsync("gateway-b", url: $"http://{AddressB}:{port}");
        var urlA = $"http://{AddressA}:{port}";
        var urlB = $"http://{AddressB}:{port}";
        await using var f = await EdgeFixture.StartWithOriginsAsync(["--Edge:Sites:0:Origins:0", urlA, "--Edge:Sites:0:Origins:1", urlB], _ => { },
            "--Edge:OriginProbeMilliseconds", "100", "--Logging:LogLevel:CdnPlatform.Edge.Health", "Information");
        await UntilAsync(f, r => State(r, urlA) == "up" && State(r, urlB) == "up", "both addresses up");

        await a.DisposeAsync();
        // A visitor's fetch finds it refused too, and goes on to B.
        using (var response = await f.GetAsync("/page?cc=no-store"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var down = await UntilAsync(f, r => State(r, urlA) == "down", "A down");
        var viewA = down.Origins.Single(o => o.Url == urlA);
        Assert.True(viewA.ConsecutiveFailures >= 3, viewA.ToString());
        Assert.NotNull(viewA.LastError);
        Assert.NotNull(viewA.LastPassiveFailure);
        Assert.Equal("up", State(down, urlB));
        Assert.Null(down.Origins.Single(o => o.Url == urlB).LastPassiveFailure);

        await using var back = await TestNode.StartAsync("gateway-a", url: urlA);
        var up = await UntilAsync(f, r => State(r, urlA) == "up", "A up again");
        Assert.Equal(0, up.Origins.Single(o => o.Url == urlA).ConsecutiveFailures);
        Assert.Null(up.Origins.Single(o => o.Url == urlA).LastError);

        // Ops see the loss and the recovery as warnings; the first verdict at start-up is not one.
        var transitions = f.Logs.Entries.Where(e => e.Message.StartsWith($"Origin address {urlA} is now", StringComparison.Ordinal))
            .Select(e => (e.Level, e.Message[(e.Message.IndexOf(" is now ", StringComparison.Ordinal) + 8)..].Split(' ')[0])).ToList();
        Assert.Equal([(LogLevel.Information, "Up"), (LogLevel.Warning, "Down"), (LogLevel.Warning, "Up")], transitions);
    }

    [Fact]
    public async Task OriginWhoseHealthzSays503_IsDown()
    {
        await using var node = await TestNode.StartAsync("gateway-a", url: $"http://{AddressA}:0");
        var url = node.Host.Address.ToString().TrimEnd('/');
        await using var f = await EdgeFixture.StartWithOriginsAsync(["--Edge:Sites:0:Origin", url], _ => { }, "--Edge:OriginProbeMilliseconds", "100");
        await UntilAsync(f, r => State(r, url) == "up", "the origin up");

        node.HealthStatus = 503;

        var down = await UntilAsync(f, r => State(r, url) == "down", "the origin down");
        Assert.Equal("/healthz answered 503", down.Origins.Single().LastError);
        Assert.Equal("test", down.Edge);
    }

    [Fact]
    public async Task OriginThatAnswersNoProbe_IsDown_WithTheRoundAsItsTimeout()
    {
        // A paused host: connections are accepted, /healthz never answered. The probe gives up at the round (100 ms
        // here, 1 s at most), as the control plane's do, so the address is down after OriginFailAfter rounds.
        await using var node = await TestNode.StartAsync("gateway-a", url: $"http://{AddressA}:0");
        var url = node.Host.Address.ToString().TrimEnd('/');
        await using var f = await EdgeFixture.StartWithOriginsAsync(["--Edge:Sites:0:Origin", url], _ => { }, "--Edge:OriginProbeMilliseconds", "100");
        await UntilAsync(f, r => State(r, url) == "up", "the origin up");

        node.HealthStalls = true;

        var down = await UntilAsync(f, r => State(r, url) == "down", "the origin down");
        Assert.Equal("no answer within 100 ms", down.Origins.Single().LastError);
    }

    [Theory]
    [InlineData("GET", "/edge/other")]
    [InlineData("POST", "/edge/origins")]
    [InlineData("POST", "/healthz")]
    public async Task AnythingElseWithoutASite_IsStillRefused(string method, string path)
    {
        await using var f = await EdgeFixture.StartAsync();

        using var response = await f.SendAsync(new HttpMethod(method), path, host: "edge.invalid");

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("--Edge:OriginProbeMilliseconds", "10", "Edge:OriginProbeMilliseconds must be 50..60000, was 10")]
    [InlineData("--Edge:OriginFailAfter", "0", "Edge:OriginFailAfter and Edge:OriginRecoverAfter must be 1..100, were 0 and 6")]
    public void BadProbeSettings_AreRefusedAtStartUp_NamingTheKey(string key, string value, string message) =>
        Assert.Contains(message, EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", key, value));

    private static string? State(EdgeOriginsReport report, string url) => report.Origins.SingleOrDefault(o => o.Url == url)?.State;

    // The probes run on the fixture's clock: each read moves it one probe interval on.
    private static Task<EdgeOriginsReport> UntilAsync(EdgeFixture f, Func<EdgeOriginsReport, bool> until, string what) =>
        Eventually.ValueAsync(async () =>
        {
            f.Clock.Advance(Probe);
            using var response = await f.GetAsync("/edge/origins", host: "edge.invalid");
            return (await response.Content.ReadFromJsonAsync<EdgeOriginsReport>())!;
        }, until, Eventually.Patience, r => $"{what}; the edge reports {string.Join(", ", r.Origins)}");
}
