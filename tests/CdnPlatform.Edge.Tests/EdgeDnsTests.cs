using System.Net;
using CdnPlatform.Edge.Resolving;
using CdnPlatform.Testing;
using static CdnPlatform.Edge.Tests.TwoDatacenters;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// An edge whose origin is a name (<c>http://origin.shop.test:PORT</c>) it resolves itself, with DnsClient,
/// against the control plane's DNS server code on loopback, in front of two gateways on different addresses.
/// The edge's clock is the test's: TTLs run out only when the test moves it.
/// </summary>
public sealed class EdgeDnsTests
{
    // whoami-like: every request reaches a gateway (TestNode answers no-store).
    private const string Page = "/page";

    private static async Task<string> ServedByAsync(EdgeFixture edge, string path = Page)
    {
        using var response = await edge.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Served-By").Single();
    }

    [Fact]
    public async Task OriginName_IsResolvedThroughTheResolver_AndTheGatewayGetsTheVisitorsHost()
    {
        await using var dcs = await StartAsync();
        await using var edge = await dcs.StartEdgeAsync();

        Assert.Equal("gateway-a", await ServedByAsync(edge));

        Assert.Equal(EdgeFixture.Host, dcs.A.LastHost);
        var name = await OriginNameAsync(edge);
        Assert.Equal("fresh", name.GetProperty("state").GetString());
        Assert.Equal(dcs.Resolver, name.GetProperty("answeredBy").GetString());
        Assert.InRange(name.GetProperty("ttlSeconds").GetInt32(), 1, OriginTtl);
    }

    [Fact]
    public async Task AfterARecordChange_AndTheReResolveSignal_TheNextRequestGoesToTheNewAddress_AndTheOldConnectionCloses()
    {
        await using var dcs = await StartAsync();
        await using var edge = await dcs.StartEdgeAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("gateway-a", await ServedByAsync(edge));
        }
        // The edge's origin prober connects to A too, at its next round (its first, at start, may or may not have found
        // A resolved yet): one probe interval on the edge's clock, well inside the TTL.
        edge.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await Eventually.TrueAsync(() => dcs.A.OpenConnections == 2, () => $"{dcs.A.OpenConnections} connection(s) to A, not the visitors' and the prober's");
        // The edge keeps its one visitor connection to A open between requests.
        Assert.Equal(1, dcs.A.OpenVisitorConnections);

        dcs.PointOriginAt(AddressB);
        await dcs.SignalChangeAsync();
        await UntilResolvedAsync(edge, "fresh", AddressB);
        var servedByABefore = dcs.A.Requests;

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("gateway-b", await ServedByAsync(edge));
        }
        Assert.Equal(servedByABefore, dcs.A.Requests);
        using (var health = await edge.GetAsync("/healthz", host: "edge.invalid"))
        {
            var status = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(dcs.Serial, status.GetProperty("dnsChangeSerial").GetUInt32());
            Assert.Equal(1, status.GetProperty("connectionRenewals").GetInt32());
        }
        // Retired, not merely unused: the old datacenter sees the edge go.
        // Every connection: the prober's too, if its first round opened one, once it is no longer probing A.
        await Eventually.TrueAsync(() => dcs.A.OpenConnections == 0, () => $"{dcs.A.OpenConnections} connection(s) to A still open");
    }

    [Fact]
    public async Task ARecordChange_WithoutASignal_ReachesTheEdgeWhenTheTtlRunsOut()
    {
        await using var dcs = await StartAsync();
        await using var edge = await dcs.StartEdgeAsync();
        Assert.Equal("gateway-a", await ServedByAsync(edge));

        dcs.PointOriginAt(AddressB);

        // Within the TTL the edge keeps its answer: it asks again only when a tenth of it is left.
        Assert.Equal("gateway-a", await ServedByAsync(edge));
        edge.Clock.Advance(TimeSpan.FromSeconds(OriginTtl));
        await UntilResolvedAsync(edge, "fresh", AddressB);
        Assert.Equal("gateway-b", await ServedByAsync(edge));
    }

    [Fact]
    public async Task RequestsInFlightToTheOldAddress_FinishThere_AfterTheFlip()
    {
        await using var dcs = await StartAsync();
        await using var edge = await dcs.StartEdgeAsync();
        using var visitor = new HttpClient { BaseAddress = edge.Client.BaseAddress, Timeout = Eventually.Patience };
        visitor.DefaultRequestHeaders.Host = EdgeFixture.Host;
        var held = await dcs.A.ParkAsync(visitor);

        dcs.PointOriginAt(AddressB);
        await dcs.SignalChangeAsync();
        await UntilResolvedAsync(edge, "fresh", AddressB);
        Assert.Equal("gateway-b", await ServedByAsync(edge));
        dcs.A.Release();

        using var response = await held;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gateway-a", response.Headers.GetValues("X-Served-By").Single());
    }

    [Fact]
    public async Task EveryResolverDead_TheStaleAnswerKeepsServing_ForAtMostMaxStale()
    {
        await using var dcs = await StartAsync();
        await using var edge = await dcs.StartEdgeAsync(null, "--Edge:Dns:MaxStaleSeconds", "3600", "--Edge:Dns:QueryTimeoutMilliseconds", "200");
        Assert.Equal("gateway-a", await ServedByAsync(edge));
        dcs.StopDns();

        edge.Clock.Advance(TimeSpan.FromSeconds(OriginTtl));
        // Stale as soon as the TTL ran out; served stale once the lookup then failed at every resolver.
        var stale = await Eventually.ValueAsync(() => OriginNameAsync(edge), n => n.GetProperty("failures").GetInt32() >= 1, Eventually.Patience,
            n => $"no failed lookup yet: {n}");

        Assert.Equal("stale", stale.GetProperty("state").GetString());
        Assert.Equal([AddressA.ToString()], stale.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("gateway-a", await ServedByAsync(edge));
        Assert.Contains(dcs.Resolver, stale.GetProperty("lastFailure").GetString());

        // Past the stale period the edge stops trusting the old answer.
        edge.Clock.Advance(TimeSpan.FromSeconds(3600));
        await UntilResolvedAsync(edge, "unresolved");
        using var response = await edge.GetAsync(Page);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("origin unreachable", response.CacheStatus());
    }

    [Fact]
    public async Task TwoResolvers_TheFirstDead_TheSecondAnswers()
    {
        await using var dcs = await StartAsync();
        var dead = $"127.0.0.1:{FreePort.OnLoopback()}";
        await using var edge = await dcs.StartEdgeAsync([dead, dcs.Resolver], "--Edge:Dns:QueryTimeoutMilliseconds", "200");

        Assert.Equal("gateway-a", await ServedByAsync(edge));

        var name = await OriginNameAsync(edge);
        Assert.Equal(dcs.Resolver, name.GetProperty("answeredBy").GetString());
    }

    [Fact]
    public async Task EdgeStartedBeforeItsDns_Starts_AndServesOnceTheDnsAnswers()
    {
        await using var dcs = await StartAsync(dnsRunning: false);
        await using var edge = await dcs.StartEdgeAsync(null, "--Edge:Dns:QueryTimeoutMilliseconds", "200");
        await UntilFailedOnceAsync(edge);

        dcs.StartDns();

        // The edge's clock stands still: the request itself has the name looked up, and waits for it.
        Assert.Equal("gateway-a", await ServedByAsync(edge));
    }

    [Fact]
    public async Task BothGatewaysInTheAnswer_ADeadFirstOne_IsFailedOverToTheSecond()
    {
        await using var dcs = await StartAsync();
        dcs.PointOriginAt(AddressA, AddressB);
        await using var edge = await dcs.StartEdgeAsync();
        Assert.Equal("gateway-a", await ServedByAsync(edge));

        await dcs.A.Host.StopAsync();

        Assert.Equal("gateway-b", await ServedByAsync(edge));
    }

    [Fact]
    public async Task ANameWithoutAddresses_Gives502_NamingTheOriginUnreachable()
    {
        await using var dcs = await StartAsync();
        dcs.PointOriginAt();
        await using var edge = await dcs.StartEdgeAsync();

        using var response = await edge.GetAsync(Page);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("CdnPlatform; fwd=uri-miss; detail=\"origin unreachable\"", response.CacheStatus());
        Assert.Equal(0, dcs.A.Requests + dcs.B.Requests);
        Assert.Equal("fresh", (await OriginNameAsync(edge)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ResolversSet_OriginsGivenAsAddresses_AreNotResolved()
    {
        await using var dcs = await StartAsync();
        await using var edge = await EdgeFixture.StartWithOriginsAsync(
            ["--Edge:Sites:0:Origin", dcs.A.Host.Address.ToString(), "--Edge:Dns:Resolvers:0", dcs.Resolver], _ => { });

        Assert.Equal("gateway-a", await ServedByAsync(edge));

        using var health = await edge.GetAsync("/healthz", host: "edge.invalid");
        Assert.Contains("\"originNames\":[]", await health.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("--Edge:Dns:Resolvers:0", "dns.example", "Edge:Dns:Resolvers:0: 'dns.example' is not an IP address with an optional port")]
    [InlineData("--Edge:Dns:Resolvers:0", "8053", "Edge:Dns:Resolvers:0: '8053' is not an IP address with an optional port")]
    [InlineData("--Edge:Dns:Resolvers:0", "127.0.0.1:0", "Edge:Dns:Resolvers:0: '127.0.0.1:0' is not an IP address with an optional port")]
    [InlineData("--Edge:Dns:Resolvers:1", "127.0.0.1:53", "Edge:Dns:Resolvers:1: '127.0.0.1:53' is already Edge:Dns:Resolvers:0")]
    [InlineData("--Edge:Dns:MaxStaleSeconds", "86401", "Edge:Dns:MaxStaleSeconds must be 0..86400 (a day), was 86401")]
    [InlineData("--Edge:Dns:QueryTimeoutMilliseconds", "0", "Edge:Dns:QueryTimeoutMilliseconds must be 50..10000, was 0")]
    public void BadDnsSettings_StopStartup_NamingTheKey(string key, string value, string message)
    {
        string[] args = ["--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                         "--Edge:Sites:0:Origin", "http://origin.shop.test:8080", "--Edge:Dns:Resolvers:0", "127.0.0.1", key, value];
        Assert.Contains(EdgeFixture.StartupFailures(args), failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1:8053", "127.0.0.1:8053")]
    [InlineData("10.0.0.2", "10.0.0.2:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    [InlineData("::1", "[::1]:53")]
    public void ResolverEndpoints_TakePort53_WhenNoneIsGiven(string text, string endpoint)
    {
        Assert.True(Configuration.EdgeDnsOptions.TryParseEndpoint(text, out var parsed));
        Assert.Equal(endpoint, parsed.ToString());
    }

    [Theory]
    [InlineData("http://origin.shop.test:8080", "127.0.22.1", "http://127.0.22.1:8080")]
    [InlineData("https://origin.shop.test", "127.0.22.1", "https://127.0.22.1:443")]
    [InlineData("http://origin.shop.test:8080/base", "fd00::1", "http://[fd00::1]:8080/base")]
    public void AnAddressTakesTheNamesPlace_InTheOriginUrl(string url, string address, string expected) =>
        Assert.Equal(expected, OriginAddress.Url(url, IPAddress.Parse(address)));

    private static Task UntilFailedOnceAsync(EdgeFixture edge) =>
        Eventually.ValueAsync(() => OriginNameAsync(edge), name => name.GetProperty("failures").GetInt32() >= 1, Eventually.Patience,
            name => $"the edge has not tried its dead DNS yet: {name}");
}
