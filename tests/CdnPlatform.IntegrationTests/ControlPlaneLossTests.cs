using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cli.Drill;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Client;
using CdnPlatform.Testing;
using Xunit.Abstractions;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// The control plane's own location lost (failover-plan decision 1: it lives in neither datacenter), on
/// <c>cdnctl up --redis auto</c> under the drill's paced load: the control plane's process stopped with its
/// connections cut, so its API and the sites' DNS are gone, for longer than the origin name's TTL. Visitors and
/// shoppers must not notice (the edges keep their last answers, stale, and the shop does not need the control
/// plane); a publish made meanwhile is kept by the shop and reaches every edge once the control plane is back.
/// </summary>
[Collection(UnderLoadCollection.Name)]
public sealed class ControlPlaneLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ProductId = 102;

    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "control-loss-key-0123456789",
        StartRedisServers = true,
        AutomaticFailover = true,
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task WithTheControlPlaneGone_VisitorsAndShoppersAreServed_AndAPublishMadeMeanwhileReachesEveryEdgeOnceItIsBack()
    {
        var edges = _network.EdgeNodes.Select(e => e.Url).ToList();
        using var control = new HttpClient { BaseAddress = new Uri(_network.ControlUrl) };
        control.DefaultRequestHeaders.Authorization = new("Bearer", _network.ApiKey);
        var log = new DrillLog(TimeProvider.System);
        // No purges through the control API: with it gone they could only be refused, which is decision 1's stated cost.
        var traffic = new DrillTraffic(new DrillTarget(edges, LocalNetwork.SiteHost, LocalNetwork.SiteName, control),
            new DrillTrafficOptions { Visitors = 3, Shoppers = 2, PurgeInterval = TimeSpan.Zero }, log);
        TimeSpan lostAt, backAt, endAt;
        (int Kept, int Total) sessions;
        string oldPrice;
        await using (traffic)
        {
            await traffic.PrepareAsync(default);
            oldPrice = await PriceAtEveryEdgeAsync(edges);
            traffic.Start();
            await Task.Delay(TimeSpan.FromSeconds(1));

            lostAt = log.Now;
            await _network.KillNodeAsync(_network.ControlUrl);
            await Assert.ThrowsAsync<HttpRequestException>(() => control.GetAsync("/v1/dc"));

            // The shop takes the publish and keeps its purge for when the control plane answers again.
            var node = _network.Nodes.First(n => n.Role == "origin" && n.Name.StartsWith("primary", StringComparison.Ordinal)).Url;
            using (var publish = await PublishAsync(node, 7.70m))
            {
                var body = await publish.Content.ReadAsStringAsync();
                Assert.True(publish.StatusCode == HttpStatusCode.Accepted, body);
                Assert.Equal("queued", JsonDocument.Parse(body).RootElement.GetProperty("purge").GetProperty("state").GetString());
            }

            // The origin name's TTL ran out at every edge and no resolver answers: each edge serves on with its last
            // addresses, stale. Without this the test would not have covered the DNS being gone.
            await Eventually.ValueAsync(() => OriginNameStatesAsync(edges), states => states.All(s => s == "stale, lookups failing"), TimeSpan.FromSeconds(30),
                states => $"origin name states: {string.Join(", ", states)}");
            output.WriteLine($"every edge's origin names stale {log.Now - lostAt} after the loss");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(oldPrice, await PriceAtEveryEdgeAsync(edges));

            backAt = log.Now;
            await _network.RestartNodeAsync(_network.ControlUrl);
            await Eventually.ValueAsync(() => PriceAtEveryEdgeAsync(edges), price => price == "€7.70", TimeSpan.FromSeconds(30),
                price => $"the edges still serve {price}");
            output.WriteLine($"the publish at every edge {log.Now - backAt} after the control plane's return");
            // Fresh again at once, not at the next stale retry (30 s): the returning control plane announces its zones.
            await Eventually.ValueAsync(() => OriginNameStatesAsync(edges), states => states.All(s => s == "fresh"), TimeSpan.FromSeconds(10),
                states => $"origin name states: {string.Join(", ", states)}");
            output.WriteLine($"every edge's origin names fresh {log.Now - backAt} after the return");
            await Task.Delay(TimeSpan.FromSeconds(1));
            sessions = await traffic.CountSessionsAsync(default);
            endAt = log.Now;
        }

        Assert.True(backAt - lostAt > TimeSpan.FromSeconds(5), $"the control plane was gone for only {backAt - lostAt}");
        var during = log.Outcomes.Where(o => o.Started >= lostAt && o.Started < endAt).ToList();
        var kinds = DrillFigures.ByKind(during);
        foreach (var kind in kinds.Where(k => k.Kind != DrillKind.Purge))
        {
            Assert.True(kind.Requests > 0 && kind.Errors == 0, $"{kind.Kind}: {kind.Errors} of {kind.Requests} failed: {string.Join("; ", kind.FirstErrors)}");
        }
        Assert.Equal(0, log.WritesLostBetween(lostAt, endAt));
        Assert.True(log.WritesAcknowledgedBetween(lostAt, backAt) > 0, "no write was acknowledged while the control plane was gone");
        Assert.Equal(sessions.Total, sessions.Kept);
        // Back with the state it had: the same active datacenter, read from its Redis.
        Assert.Equal("primary", (await new DatacenterApi(control).StatusAsync(default)).Active);
    }

    private async Task<HttpResponseMessage> PublishAsync(string node, decimal price)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{node}/cms/products/{ProductId}")
        {
            Content = new StringContent($$"""{"price": {{price.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _network.CmsApiKey);
        return await Client.SendAsync(request);
    }

    /// <summary>The product's price as every edge serves it; "differs" when they disagree.</summary>
    private static async Task<string> PriceAtEveryEdgeAsync(IEnumerable<string> edges)
    {
        var prices = new HashSet<string>();
        foreach (var edge in edges)
        {
            using var page = await ShopScenario.SiteGetAsync(edge, $"/products/{ProductId}");
            var html = await page.Content.ReadAsStringAsync();
            var marker = $"data-product-id=\"{ProductId}\">";
            var at = html.IndexOf(marker, StringComparison.Ordinal);
            Assert.True(page.IsSuccessStatusCode && at >= 0, $"{edge}: {(int)page.StatusCode}, no price in the page");
            prices.Add(html[(at + marker.Length)..html.IndexOf('<', at + marker.Length)]);
        }
        return prices.Count == 1 ? prices.Single() : "differs";
    }

    /// <summary>
    /// Every origin name's state (fresh, stale, unresolved) in every edge's <c>/healthz</c>, with ", lookups failing"
    /// once a lookup failed since the last answer: a TTL that just ran out is stale too, before any lookup failed.
    /// </summary>
    private static async Task<List<string>> OriginNameStatesAsync(IEnumerable<string> edges)
    {
        var states = new List<string>();
        foreach (var edge in edges)
        {
            using var health = JsonDocument.Parse(await Client.GetStringAsync($"{edge}/healthz"));
            states.AddRange(health.RootElement.GetProperty("originNames").EnumerateArray()
                .Select(n => n.GetProperty("state").GetString() + (n.GetProperty("failures").GetInt32() > 0 ? ", lookups failing" : "")));
        }
        return states.Count > 0 ? states : ["none"];
    }
}
