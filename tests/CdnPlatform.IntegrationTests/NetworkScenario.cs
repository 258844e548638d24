using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// The walk every transport must support: a visitor's miss is stored, the next request is a hit, a purge
/// through the API reaches every edge, the edge misses once and then hits again.
/// </summary>
public static class NetworkScenario
{
    public static async Task MissHitPurgeMissHitAsync(LocalNetwork network)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        var ams = network.EdgeNodes.Single(e => e.Name == "ams").Url;
        var nyc = network.EdgeNodes.Single(e => e.Name == "nyc").Url;

        Assert.Equal("CdnPlatform; fwd=uri-miss; fwd-status=200; stored", await CacheStatusAsync(client, ams, "/"));
        Assert.StartsWith("CdnPlatform; hit", await CacheStatusAsync(client, ams, "/"));
        Assert.Contains("fwd=uri-miss", await CacheStatusAsync(client, nyc, "/"));
        Assert.StartsWith("CdnPlatform; hit", await CacheStatusAsync(client, nyc, "/"));

        var id = await PurgeAsync(client, network, $"http://{LocalNetwork.SiteHost}/");
        var status = await WaitUntilDoneAsync(client, network, id);
        Assert.Equal(["ams", "nyc", "sgp"], status.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("edge").GetString()).Order());

        Assert.Contains("fwd=uri-miss", await CacheStatusAsync(client, ams, "/"));
        Assert.StartsWith("CdnPlatform; hit", await CacheStatusAsync(client, ams, "/"));
        Assert.Contains("fwd=uri-miss", await CacheStatusAsync(client, nyc, "/"));
    }

    public static async Task<string> CacheStatusAsync(HttpClient client, string edge, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, edge + path);
        request.Headers.Host = LocalNetwork.SiteHost;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return string.Join(", ", response.Headers.GetValues("Cache-Status"));
    }

    public static async Task<string> PurgeAsync(HttpClient client, LocalNetwork network, params string[] urls)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, network.ControlUrl + "/v1/purge")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { site = LocalNetwork.SiteName, urls }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", network.ApiKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static Task<JsonElement> WaitUntilDoneAsync(HttpClient client, LocalNetwork network, string id) =>
        Eventually.ValueAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{network.ControlUrl}/v1/purge/{id}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", network.ApiKey);
            using var response = await client.SendAsync(request);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }, status => status.GetProperty("state").GetString() == "done", TimeSpan.FromSeconds(15), status => $"purge {id} not done: {status}");
}
