using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// No purge is ever lost: the whole network over a real redis-server (AOF, appendfsync always) while
/// edges and Redis itself are restarted in the middle of a stream of purges.
/// </summary>
public sealed partial class RedisPurgeDurabilityTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private LocalNetwork _network = null!;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false });

    public RedisPurgeDurabilityTests(RedisServer redis) => _redis = redis;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "durability-key-0123456789",
        Redis = _redis.Endpoint + ",connectTimeout=1000,syncTimeout=2000",
        ClusterKeyPrefix = "dur-" + Guid.NewGuid().ToString("N"),
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _network.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? Id)> PurgeAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _network.ControlUrl + "/v1/purge")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { site = LocalNetwork.SiteName, urls = new[] { url } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _network.ApiKey);
        using var response = await _client.SendAsync(request);
        var id = response.StatusCode == HttpStatusCode.Accepted
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()
            : null;
        return (response.StatusCode, id);
    }

    [Fact]
    public async Task EdgeRestartedMidStream_EndsWithEveryPurgeApplied()
    {
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            if (i == 20)
            {
                await _network.RestartNodeAsync(_network.EdgeNodes.Single(e => e.Name == "nyc").Url);
            }
            var (status, id) = await PurgeAsync($"http://{LocalNetwork.SiteHost}/products/item-{i}");
            Assert.Equal(HttpStatusCode.Accepted, status);
            ids.Add(id!);
        }
        foreach (var id in ids)
        {
            await NetworkScenario.WaitUntilDoneAsync(_client, _network, id);
        }
    }

    [Fact]
    public async Task RedisRestartedMidStream_Is503WhileDown_AndEveryAcceptedPurgeIsApplied()
    {
        var accepted = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var (status, id) = await PurgeAsync($"http://{LocalNetwork.SiteHost}/before-{i}");
            Assert.Equal(HttpStatusCode.Accepted, status);
            accepted.Add(id!);
        }

        await _redis.StopAsync();
        var (whileDown, _) = await PurgeAsync($"http://{LocalNetwork.SiteHost}/while-down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown);

        await _redis.StartAsync();
        var (_, first) = await Eventually.ValueAsync(() => PurgeAsync($"http://{LocalNetwork.SiteHost}/after-0"), attempt =>
        {
            Assert.True(attempt.Status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"answered {attempt.Status}");
            return attempt.Status == HttpStatusCode.Accepted;
        }, TimeSpan.FromSeconds(30), _ => "the control plane never accepted purges again after Redis came back");
        accepted.Add(first!);
        for (var i = 1; i < 10; i++)
        {
            var (status, id) = await PurgeAsync($"http://{LocalNetwork.SiteHost}/after-{i}");
            Assert.Equal(HttpStatusCode.Accepted, status);
            accepted.Add(id!);
        }
        foreach (var id in accepted)
        {
            await NetworkScenario.WaitUntilDoneAsync(_client, _network, id);
        }
    }

    /// <summary>
    /// While Redis is away the edge serves from its cache and the control plane answers everything that
    /// does not write the log (status, purge status); purges get 503. Once Redis is back both reconnect by
    /// themselves, and a purge is accepted and applied by the edge again.
    /// </summary>
    [Fact]
    public async Task EdgeAndControlPlane_KeepWorkingAcrossARedisRestart()
    {
        var ams = _network.EdgeNodes.Single(e => e.Name == "ams").Url;
        var page = $"http://{LocalNetwork.SiteHost}/";
        var (status, before) = await PurgeAsync(page);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await NetworkScenario.WaitUntilDoneAsync(_client, _network, before!);
        Assert.Contains("fwd=uri-miss", await NetworkScenario.CacheStatusAsync(_client, ams, "/"));
        Assert.StartsWith("CdnPlatform; hit", await NetworkScenario.CacheStatusAsync(_client, ams, "/"));

        await _redis.StopAsync();
        Assert.StartsWith("CdnPlatform; hit", await NetworkScenario.CacheStatusAsync(_client, ams, "/"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PurgeAsync(page)).Status);
        using (var network = await GetAsync("/v1/status"))
        {
            Assert.Equal(HttpStatusCode.OK, network.StatusCode);
            var edges = (await network.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("edges").EnumerateArray();
            Assert.All(edges, e => Assert.Equal("up", e.GetProperty("health").GetString()));
        }
        using (var earlier = await GetAsync($"/v1/purge/{before}"))
        {
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
            Assert.Equal("done", (await earlier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }

        await _redis.StartAsync();
        var (_, after) = await Eventually.ValueAsync(() => PurgeAsync(page), attempt => attempt.Status == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(30), attempt => $"the control plane still answers {attempt.Status} after Redis came back");
        await NetworkScenario.WaitUntilDoneAsync(_client, _network, after!);
        Assert.Contains("fwd=uri-miss", await NetworkScenario.CacheStatusAsync(_client, ams, "/"));
        Assert.StartsWith("CdnPlatform; hit", await NetworkScenario.CacheStatusAsync(_client, ams, "/"));
    }

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _network.ControlUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _network.ApiKey);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task PurgedPage_IsNeverAHitOfTheOldRender_OnceTheEdgeAcknowledged()
    {
        var edge = _network.EdgeNodes.Single(e => e.Name == "ams").Url;
        // A page the origin renders on every fetch: the shop's render cache keeps its pages until a publish
        // evicts them, which would hand the edge an old render after a purge that did not come from a publish.
        // Its 404 page is cacheable at the edge (s-maxage=60) but never kept in the render cache.
        const string page = "/no-such-page";
        var observations = new ConcurrentBag<(DateTimeOffset SentAt, bool Hit, DateTimeOffset RenderedAt)>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, edge + page);
                request.Headers.Host = LocalNetwork.SiteHost;
                var sentAt = DateTimeOffset.UtcNow;
                using var response = await _client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var rendered = RenderedAt().Match(body);
                Assert.True(rendered.Success, "the page says when it was rendered");
                observations.Add((sentAt, string.Join(",", response.Headers.GetValues("Cache-Status")).Contains("hit"),
                    DateTimeOffset.Parse(rendered.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
            }
        })).ToList();

        var purges = new List<(DateTimeOffset AcceptedAt, DateTimeOffset AppliedAt)>();
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(150);
            var (status, id) = await PurgeAsync($"http://{LocalNetwork.SiteHost}{page}");
            Assert.Equal(HttpStatusCode.Accepted, status);
            // "done" can come from the edges' durable marks before their acknowledgements (with the time)
            // arrive; the check needs ams's own time of application.
            var done = await Eventually.ValueAsync(() => NetworkScenario.WaitUntilDoneAsync(_client, _network, id!),
                status => AmsOf(status).GetProperty("appliedAt").ValueKind == JsonValueKind.String,
                TimeSpan.FromSeconds(15), _ => "ams never acknowledged");
            purges.Add((done.GetProperty("acceptedAt").GetDateTimeOffset(), AmsOf(done).GetProperty("appliedAt").GetDateTimeOffset()));
        }
        await Task.Delay(150);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(observations.Count(o => o.Hit) > 20, "the readers saw hits between the purges");
        foreach (var (sentAt, hit, renderedAt) in observations.Where(o => o.Hit))
        {
            var latest = purges.Where(p => p.AppliedAt < sentAt).OrderBy(p => p.AppliedAt).LastOrDefault();
            if (latest != default)
            {
                Assert.True(renderedAt > latest.AcceptedAt,
                    $"a hit requested at {sentAt:O}, after the edge applied the purge accepted at {latest.AcceptedAt:O}, served a render from {renderedAt:O}");
            }
        }
    }

    private static JsonElement AmsOf(JsonElement status) =>
        status.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("edge").GetString() == "ams");

    [GeneratedRegex(@"at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)</footer>")]
    private static partial Regex RenderedAt();
}
