using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests;

/// <summary>
/// <c>/v1/nodes</c> over a real socket, with gateways that do not answer: who may call it, and what it says
/// about names it does not know. Drains through real gateways are in the integration tests.
/// </summary>
public sealed class NodeApiTests : IAsyncLifetime
{
    private const string Key = "test-api-key-0123456789";
    private const string PurgeOnlyKey = "purge-only-key-0123456789";
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:ApiKeys:0:Name", "cms", "--Control:ApiKeys:0:Sha256", Sha(PurgeOnlyKey),
            "--Control:ApiKeys:0:Sites:0", "*", "--Control:ApiKeys:0:Actions:0", "purge",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.250:1",
            "--Control:Datacenters:0:Nodes:0", "primary-1", "--Control:Datacenters:0:Nodes:1", "primary-2",
        ], services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static string Sha(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? key = Key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData("GET", "/v1/nodes")]
    [InlineData("GET", "/v1/nodes/primary/primary-1")]
    [InlineData("POST", "/v1/nodes/primary/primary-1/drain")]
    [InlineData("POST", "/v1/nodes/primary/primary-1/undrain")]
    [InlineData("POST", "/v1/nodes/primary/primary-1/restart")]
    public async Task EveryNodeCall_NeedsAKeyWithOps(string method, string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(new HttpMethod(method), path, key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(new HttpMethod(method), path, key: "wrong-key-0123456789")).Status);
        var (status, body) = await SendAsync(new HttpMethod(method), path, PurgeOnlyKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("key 'cms' may not operate nodes (needs 'ops')", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/v1/nodes/secondary/primary-1/drain", "no datacenter 'secondary' (known: primary)")]
    [InlineData("/v1/nodes/primary/primary-9/drain", "datacenter 'primary' has no node 'primary-9' (its nodes: primary-1, primary-2)")]
    public async Task UnknownDatacenterOrNode_Is404_NamingIt(string path, string error)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(error, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("31")]
    [InlineData("-1")]
    public async Task BadWait_Is400_NamingTheParameter(string wait)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"/v1/nodes/primary/primary-1?wait={wait}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("wait", body.GetProperty("field").GetString());
        Assert.StartsWith($"wait: '{wait}'", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Drain_WithAGatewayThatDoesNotAnswer_StaysDraining_AndSaysWhy()
    {
        var (status, node) = await SendAsync(HttpMethod.Post, "/v1/nodes/primary/primary-1/drain");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("draining", node.GetProperty("state").GetString());
        var gateway = Assert.Single(node.GetProperty("gateways").EnumerateArray());
        Assert.Equal("http://127.0.21.250:1", gateway.GetProperty("gateway").GetString());
        Assert.False(gateway.GetProperty("reachable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(gateway.GetProperty("error").GetString()));

        var (_, undrained) = await SendAsync(HttpMethod.Post, "/v1/nodes/primary/primary-1/undrain");
        Assert.Equal("active", undrained.GetProperty("state").GetString());
    }

    [Fact]
    public async Task List_NamesEveryNodeOfEveryDatacenter()
    {
        var (status, list) = await SendAsync(HttpMethod.Get, "/v1/nodes");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["primary/primary-1", "primary/primary-2"],
            list.GetProperty("nodes").EnumerateArray().Select(n => $"{n.GetProperty("datacenter").GetString()}/{n.GetProperty("node").GetString()}"));
    }

    [Fact]
    public async Task Restart_WithoutARestarterInTheHost_Is501_NamingTheAlternative()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/nodes/primary/primary-1/restart");

        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("--restart-command", body.GetProperty("error").GetString());
    }
}
