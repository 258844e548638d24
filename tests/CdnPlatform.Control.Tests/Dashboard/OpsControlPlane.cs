using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary>
/// A control plane on a free loopback port for the dashboard's read endpoints: two sites, the in-memory purge bus
/// standing in for the edges' acknowledgements, the all-scopes key and two scoped ones.
/// </summary>
internal sealed class OpsControlPlane : IAsyncDisposable
{
    public const string OpsKey = "ops-dashboard-key-0123456789";

    /// <summary>May purge (and read purges of) the site <c>blog</c> only.</summary>
    public const string BlogPurgeKey = "blog-purge-key-0123456789";

    /// <summary>May operate the network, may not purge.</summary>
    public const string OpsOnlyKey = "ops-only-key-0123456789";

    private OpsControlPlane(WebApplication app, InMemoryPurgeBus bus)
    {
        App = app;
        Bus = bus;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public InMemoryPurgeBus Bus { get; }

    public HttpClient Client { get; }

    /// <param name="edges">Each edge's name and URL; by default two that nobody listens on.</param>
    /// <param name="settings">More settings as <c>--key value</c> pairs.</param>
    public static async Task<OpsControlPlane> StartAsync((string Name, string Url)[]? edges = null, string[]? settings = null, TimeProvider? time = null)
    {
        edges ??= [("ams", "http://127.0.10.250:1"), ("nyc", "http://127.0.10.251:1")];
        var bus = new InMemoryPurgeBus();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:ApiKey", OpsKey,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Sites:1:Name", "blog", "--Control:Sites:1:Hosts:0", "blog.shop.test",
            "--Control:ApiKeys:0:Name", "blog-cms", "--Control:ApiKeys:0:Sha256", Sha256(BlogPurgeKey),
            "--Control:ApiKeys:0:Sites:0", "blog", "--Control:ApiKeys:0:Actions:0", "purge",
            "--Control:ApiKeys:1:Name", "on-call", "--Control:ApiKeys:1:Sha256", Sha256(OpsOnlyKey),
            "--Control:ApiKeys:1:Sites:0", "*", "--Control:ApiKeys:1:Actions:0", "ops",
            .. edges.SelectMany((edge, i) => new[] { $"--Control:Edges:{i}:Name", edge.Name, $"--Control:Edges:{i}:Url", edge.Url }),
            .. settings ?? [],
        ];
        var app = ControlHost.Build(args, services =>
        {
            services.AddSingleton<IPurgeBus>(bus);
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        return new OpsControlPlane(app, bus);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? key = OpsKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await Client.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string? key = OpsKey)
    {
        using var response = await GetAsync(path, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Sends a purge; returns its id when accepted, null otherwise.</summary>
    public async Task<string?> PurgeAsync(string body, string key = OpsKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/purge") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Client.SendAsync(request);
        return response.StatusCode == System.Net.HttpStatusCode.Accepted
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()
            : null;
    }

    private static string Sha256(string key) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
