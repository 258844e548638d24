using System.Net;
using System.Net.Http.Headers;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// Every node of the <c>cdnctl up</c> network answers <c>/metrics</c> in Prometheus text (by the reference parser),
/// its counters move by exactly the requests a test sends, and a visitor cannot read any of it through a site's Host.
/// </summary>
public sealed class NetworkMetricsTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false });

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "metrics-key-0123456789",
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _network.DisposeAsync();
    }

    [Fact]
    public async Task Every_node_s_scrape_parses_and_names_its_own_families()
    {
        foreach (var node in _network.Nodes)
        {
            var scrape = await ScrapeAsync(node.Url);
            var expected = node.Role switch
            {
                "edge" => "cdn_edge_cache_entries",
                "gateway" => "cdn_gateway_node_healthy",
                "origin" => "http_server_request_duration_seconds",
                "control" => "cdn_control_datacenter_active",
                _ => throw new InvalidOperationException($"a node of role {node.Role}"),
            };
            Assert.True(scrape.Samples.Any(s => s.Family == expected), $"{node.Role} {node.Name} at {node.Url} has no {expected}");
        }
    }

    [Fact]
    public async Task Misses_through_an_edge_move_the_edge_the_active_gateways_and_their_nodes_by_exactly_their_number()
    {
        var ams = _network.EdgeNodes.Single(e => e.Name == "ams").Url;
        var gateways = _network.Nodes.Where(n => n.Role == "gateway" && n.Name.StartsWith("primary", StringComparison.Ordinal)).ToList();
        var nodes = _network.Nodes.Where(n => n.Role == "origin" && n.Name.StartsWith("primary", StringComparison.Ordinal)).ToList();
        var edgeBefore = await ScrapeAsync(ams);
        var gatewaysBefore = await SumAsync(gateways, ForwardedByGateway);
        var nodesBefore = await SumAsync(nodes, ProductPages);

        const int Misses = 7;
        for (var i = 0; i < Misses; i++)
        {
            Assert.Contains("fwd=uri-miss", await NetworkScenario.CacheStatusAsync(_client, ams, $"/products/{101 + i}?metrics-test={i}"));
        }

        var edgeAfter = await ScrapeAsync(ams);
        Assert.Equal(Misses, edgeAfter.Sum("cdn_edge_requests_total", ("cache_status", "miss")) - edgeBefore.Sum("cdn_edge_requests_total", ("cache_status", "miss")));
        Assert.Equal(Misses, edgeAfter.Sum("cdn_edge_origin_fetch_duration_seconds_count") - edgeBefore.Sum("cdn_edge_origin_fetch_duration_seconds_count"));
        Assert.Equal(Misses, await SumAsync(gateways, ForwardedByGateway) - gatewaysBefore);
        Assert.Equal(Misses, await SumAsync(nodes, ProductPages) - nodesBefore);
    }

    [Fact]
    public async Task A_site_s_metrics_path_through_an_edge_shows_no_node_s_counters()
    {
        foreach (var edge in _network.EdgeNodes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, edge.Url + "/metrics");
            request.Headers.Host = LocalNetwork.SiteHost;
            using var response = await _client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            // The shop has no such page: its 404, forwarded, not a gateway's or a node's scrape.
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("http_server_request_duration_seconds", body);
            Assert.DoesNotContain("cdn_", body);
        }
    }

    [Fact]
    public async Task A_purge_is_timed_per_edge_and_to_its_last_edge_and_dns_queries_are_counted_by_type()
    {
        var control = _network.ControlUrl;
        var before = await ScrapeAsync(control);

        var id = await NetworkScenario.PurgeAsync(_client, _network, $"http://{LocalNetwork.SiteHost}/metrics-purge");
        await NetworkScenario.WaitUntilDoneAsync(_client, _network, id);
        using (var bad = new HttpRequestMessage(HttpMethod.Post, control + "/v1/purge") { Content = new StringContent("{\"site\":", System.Text.Encoding.UTF8, "application/json") })
        {
            bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _network.ApiKey);
            using var rejected = await _client.SendAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        }
        // TXT: a type no edge asks, so only these three move the counter.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("NOERROR", (await Dig.AskAsync(_network.DnsPort, "www." + LocalNetwork.SiteZoneName, "TXT")).Status);
        }

        var after = await ScrapeAsync(control);
        Assert.Equal(1, after.Sum("cdn_control_purge_requests_total", ("outcome", "accepted")) - before.Sum("cdn_control_purge_requests_total", ("outcome", "accepted")));
        Assert.Equal(1, after.Sum("cdn_control_purge_requests_total", ("outcome", "rejected")) - before.Sum("cdn_control_purge_requests_total", ("outcome", "rejected")));
        Assert.Equal(1, after.Sum("cdn_control_purge_duration_seconds_count") - before.Sum("cdn_control_purge_duration_seconds_count"));
        Assert.Equal(3, after.Sum("cdn_control_purge_edge_ack_seconds_count") - before.Sum("cdn_control_purge_edge_ack_seconds_count"));
        foreach (var edge in new[] { "ams", "nyc", "sgp" })
        {
            Assert.Equal(1, after.Sum("cdn_control_purge_edge_ack_seconds_count", ("edge", edge)) - before.Sum("cdn_control_purge_edge_ack_seconds_count", ("edge", edge)));
        }
        Assert.Equal(3, after.Sum("cdn_control_dns_queries_total", ("type", "TXT"), ("rcode", "NOERROR"))
            - before.Sum("cdn_control_dns_queries_total", ("type", "TXT"), ("rcode", "NOERROR")));
        Assert.Equal(1, after.Sum("cdn_control_datacenter_active", ("datacenter", "primary")));
        Assert.Equal(0, after.Sum("cdn_control_datacenter_active", ("datacenter", "dr")));
        Assert.Equal(3, after.Sum("cdn_control_pop_up"));
    }

    // The gateway's proxied requests: ASP.NET Core's count for YARP's catch-all route, not its own endpoints.
    private static double ForwardedByGateway(PrometheusText scrape) =>
        scrape.Samples.Where(s => s.Name == "http_server_request_duration_seconds_count"
            && s.Labels.TryGetValue("http_route", out var route) && route.Contains("catch-all", StringComparison.Ordinal)).Sum(s => s.Value);

    private static double ProductPages(PrometheusText scrape) =>
        scrape.Samples.Where(s => s.Name == "http_server_request_duration_seconds_count"
            && s.Labels.TryGetValue("http_route", out var route) && route.StartsWith("/products/", StringComparison.Ordinal)).Sum(s => s.Value);

    private async Task<double> SumAsync(IEnumerable<NetworkNode> nodes, Func<PrometheusText, double> read)
    {
        double sum = 0;
        foreach (var node in nodes)
        {
            sum += read(await ScrapeAsync(node.Url));
        }
        return sum;
    }

    private async Task<PrometheusText> ScrapeAsync(string url)
    {
        using var response = await _client.GetAsync(url + "/metrics");
        Assert.True(response.IsSuccessStatusCode, $"{url}/metrics: {(int)response.StatusCode}");
        return await PrometheusText.ParseAsync(await response.Content.ReadAsStringAsync());
    }
}
