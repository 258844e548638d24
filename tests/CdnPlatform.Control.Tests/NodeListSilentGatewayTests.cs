using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests;

/// <summary>
/// <c>GET /v1/nodes</c> with a gateway that stalls (accepts, never answers), over real sockets: once a push or a read
/// has found it silent, reading the node list does not ask it again (and wait for the client's timeout) until the next
/// re-assertion has; it is shown as not answering.
/// </summary>
public sealed class NodeListSilentGatewayTests : IAsyncLifetime
{
    private const string Key = "test-api-key-0123456789";
    private readonly SilentGateway _gateway = new(IPAddress.Parse("127.0.21.249"));
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Error",
            "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", _gateway.Url,
            "--Control:Datacenters:0:Nodes:0", "primary-1",
        ], services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private int StatusReads => _gateway.RequestLines.Count(line => line.StartsWith("GET /gateway/status ", StringComparison.Ordinal));

    [Fact]
    public async Task AGatewayFoundSilent_IsNotAskedAgainByTheNextRead_AndIsShownNotAnswering()
    {
        // The first re-assertion's push reaches the gateway and gets no answer (the client's 2 s timeout).
        await Eventually.TrueAsync(() => _gateway.RequestLines.Any(line => line.StartsWith("PUT /gateway/drains ", StringComparison.Ordinal)),
            Eventually.Patience, "the first push");
        var first = await _client.GetFromJsonAsync<JsonElement>("/v1/nodes");
        var readsBefore = StatusReads;

        var second = await _client.GetFromJsonAsync<JsonElement>("/v1/nodes");

        // On the control plane before this change the second read asked the gateway again and waited 2 s for it.
        Assert.Equal(readsBefore, StatusReads);
        foreach (var list in new[] { first, second })
        {
            var node = list.GetProperty("nodes")[0];
            Assert.Equal("primary-1", node.GetProperty("node").GetString());
            Assert.Equal("active", node.GetProperty("state").GetString());
        }
        Assert.True(second.ToString().Contains("no answer", StringComparison.Ordinal), second.ToString());
    }
}
