using System.Net;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>The whole network in one process with the in-memory bus: the <c>cdnctl up</c> default.</summary>
public sealed class InMemoryNetworkTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "integration-key-0123456789",
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public Task MissHitPurgeMissHit() => NetworkScenario.MissHitPurgeMissHitAsync(_network);

    [Fact]
    public Task Publish_ReachesEveryEdge() => ShopScenario.PublishReachesEveryEdgeAsync(_network, 104, 79.50m);

    [Fact]
    public async Task Dns_PointsOriginAtThePrimaryGateways_AndWwwAtTheClientsRegion()
    {
        var origin = await Dig.AskAsync(_network.DnsPort, "origin." + LocalNetwork.SiteZoneName, "A");
        var www = await Dig.AskAsync(_network.DnsPort, "+tcp", "www." + LocalNetwork.SiteZoneName, "A");

        Assert.Equal("NOERROR", origin.Status);
        Assert.Contains("aa", origin.Flags);
        Assert.Equal(["127.0.21.1", "127.0.21.2"], origin.Section("ANSWER").Select(a => a[4]).Order());
        Assert.All(origin.Section("ANSWER"), a => Assert.Equal("5", a[1]));
        // This machine is in cdnctl up's Europe.
        Assert.Equal(["127.0.10.1"], www.Section("ANSWER").Select(a => a[4]));
    }

    [Theory]
    [InlineData("198.51.100.0/24", "127.0.10.2", "198.51.100.0/24/24")]
    [InlineData("203.0.113.0/24", "127.0.10.3", "203.0.113.0/24/24")]
    [InlineData("2001:db8:a::/48", "127.0.10.1", "2001:db8:a::/48/48")]
    public async Task Www_ForAClientSubnet_IsThatRegionsPop(string subnet, string pop, string echoed)
    {
        var www = await Dig.AskAsync(_network.DnsPort, $"+subnet={subnet}", "www." + LocalNetwork.SiteZoneName, "A");

        Assert.Equal([pop], www.Section("ANSWER").Select(a => a[4]));
        Assert.Equal(echoed, www.ClientSubnet);
    }

    [Fact]
    public async Task DnsStatus_ListsTheRecords_ForOpsKeysOnly()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_network.ControlUrl) };
        using var anonymous = await client.GetAsync("/v1/dns");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _network.ApiKey);

        var status = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/v1/dns")).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal($"127.0.0.1:{_network.DnsPort}", status.GetProperty("listening").GetString());
        Assert.Equal("primary", status.GetProperty("activeDatacenter").GetString());
        var records = status.GetProperty("zones")[0].GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("name").GetString() == "origin.shop.test.").ToList();
        Assert.Equal(["127.0.21.1", "127.0.21.2"], records.Select(r => r.GetProperty("data").GetString()).Order());
        Assert.All(records, r => Assert.Equal(5, r.GetProperty("ttl").GetInt32()));
    }

    [Fact]
    public async Task SettingTheActiveDatacenter_MovesOriginToItsGateways_ForTheNextQuery()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_network.ControlUrl) };
        using var anonymous = await client.PutAsync("/v1/dns/active", new StringContent("""{"datacenter":"dr"}"""));
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _network.ApiKey);
        using var unknown = await client.PutAsync("/v1/dns/active", new StringContent("""{"datacenter":"mars"}"""));
        var serialBefore = await SerialAsync();

        using var flip = await client.PutAsync("/v1/dns/active", new StringContent("""{"datacenter":"dr"}"""));
        var afterFlip = await Dig.AskAsync(_network.DnsPort, "origin." + LocalNetwork.SiteZoneName, "A");
        using var back = await client.PutAsync("/v1/dns/active", new StringContent("""{"datacenter":"primary"}"""));
        var afterBack = await Dig.AskAsync(_network.DnsPort, "origin." + LocalNetwork.SiteZoneName, "A");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("\"field\":\"datacenter\"", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, flip.StatusCode);
        Assert.Contains("\"activeDatacenter\":\"dr\"", await flip.Content.ReadAsStringAsync());
        Assert.Equal(["127.0.22.1", "127.0.22.2"], afterFlip.Section("ANSWER").Select(a => a[4]).Order());
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(["127.0.21.1", "127.0.21.2"], afterBack.Section("ANSWER").Select(a => a[4]).Order());
        Assert.True(await SerialAsync() > serialBefore, "every change raises the SOA serial");
    }

    [Fact]
    public Task EveryEdge_ResolvesTheOriginThroughTheControlPlanesDns() => DnsFailoverScenario.EveryEdgeResolvedThroughTheControlPlaneAsync(_network);

    [Fact]
    public Task FlippingTheActiveDatacenter_MovesEveryEdgesNextRequests_AndBack() => DnsFailoverScenario.FlipAndBackAsync(_network);

    private async Task<long> SerialAsync()
    {
        var soa = await Dig.AskAsync(_network.DnsPort, LocalNetwork.SiteZoneName, "SOA");
        return long.Parse(soa.Section("ANSWER").Single()[4].Split(' ')[2]);
    }

    [Fact]
    public Task Visitor_KeepsTheSessionAcrossEdges() => ShopScenario.VisitorKeepsTheSessionAcrossEdgesAsync(_network);

    [Fact]
    public void EveryNode_HasItsOwnLoopbackAddress()
    {
        var hosts = _network.Nodes.Select(n => new Uri(n.Url).Host).ToList();
        Assert.Equal(14, hosts.Count);
        Assert.Equal(hosts.Count, hosts.Distinct().Count());
        Assert.All(hosts, h => Assert.StartsWith("127.", h));
    }

    [Fact]
    public async Task EveryNode_AnswersHealthz()
    {
        using var client = new HttpClient();
        foreach (var node in _network.Nodes)
        {
            using var response = await client.GetAsync(node.Url + "/healthz");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{node.Role} {node.Name} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task PageServedThroughTheEdge_NamesThePrimaryDatacenter()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _network.EdgeNodes[2].Url + "/whoami");
        request.Headers.Host = LocalNetwork.SiteHost;
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("primary", body);
        Assert.Contains(LocalNetwork.SiteHost, body);
    }

    [Fact]
    public async Task EdgeKeepsServing_WhenOneOriginNodeDies()
    {
        await _network.StopNodeAsync(_network.Nodes.Single(n => n.Name == "primary-2").Url);
        using var client = new HttpClient();
        var consecutiveOk = 0;
        // whoami is no-store, so every request crosses edge → gateway → a node. Passive health takes the
        // dead node out after a few failures; from then on every request must succeed.
        await Eventually.TrueAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _network.EdgeNodes[0].Url + "/whoami");
            request.Headers.Host = LocalNetwork.SiteHost;
            using var response = await client.SendAsync(request);
            consecutiveOk = response.StatusCode == HttpStatusCode.OK ? consecutiveOk + 1 : 0;
            return consecutiveOk >= 10;
        }, TimeSpan.FromSeconds(15), "the gateway kept sending to the dead node");
    }

    [Fact]
    public async Task EdgeKeepsServing_WhenOneGatewayOfThePairDies()
    {
        await _network.StopNodeAsync(_network.Nodes.Single(n => n.Name == "primary-gw1").Url);
        using var client = new HttpClient();
        // whoami is no-store: every request goes to a gateway. The first finds primary-gw1 refusing and goes
        // on to primary-gw2; the rest go straight there. None may fail.
        for (var i = 0; i < 100; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _network.EdgeNodes[i % 3].Url + "/whoami");
            request.Headers.Host = LocalNetwork.SiteHost;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
