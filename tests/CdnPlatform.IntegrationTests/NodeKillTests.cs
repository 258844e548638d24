using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CdnPlatform.Cli.Topology;
using CdnPlatform.OriginGateway;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// A datacenter as on real hosts: three origin nodes, each its own process, on one real redis-server, behind a
/// gateway. A logged-in visitor with a cart keeps both when the node that served them is SIGKILLed, and while
/// every node is killed and started again in turn.
/// </summary>
public sealed class NodeKillTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly string[] Addresses = ["127.0.31.11", "127.0.31.12", "127.0.31.13"];
    private readonly List<OriginProcess> _nodes = [];
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
    // What the gateway warned of (failed attempts, health changes, retries given up), shown when a read fails.
    private readonly CapturingLoggerProvider _gatewayLog = new();
    private WebApplication _gateway = null!;
    private string _gatewayUrl = null!;
    private string? _cookie;

    public async Task InitializeAsync()
    {
        var prefix = "kill-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < Addresses.Length; i++)
        {
            _nodes.Add(await OriginProcess.StartAsync(Addresses[i], 0,
                ["--Logging:LogLevel:Default", "Warning", "--Origin:Node", $"primary-{i + 1}", "--Origin:Datacenter", "primary",
                 "--Origin:Redis", redis.Endpoint, "--Origin:KeyPrefix", prefix], CancellationToken.None));
        }
        _gateway = OriginGatewayHost.Build(
        [
            "--urls", "http://127.0.31.1:0", "--Logging:LogLevel:Default", "Warning", "--Gateway:Datacenter", "primary",
            .. _nodes.SelectMany((node, i) => new[] { $"--Gateway:Nodes:{i}", node.Url }),
        ]);
        _gateway.Services.GetRequiredService<ILoggerFactory>().AddProvider(_gatewayLog);
        await _gateway.StartAsync();
        _gatewayUrl = _gateway.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task LoggedInVisitorWithACart_KeepsBoth_WhenTheirNodeIsKilled_AndAsEveryNodeRestartsInTurn()
    {
        using (var login = await PostAsync("/account/login", ("email", "anna@shop.test"), ("password", "anna-espresso")))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            _cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        }
        string servedBy;
        using (var add = await PostAsync("/cart", ("productId", "101"), ("quantity", "2")))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
            servedBy = add.Headers.GetValues("X-Served-By").Single();
        }

        var victim = _nodes[int.Parse(servedBy["primary-".Length..]) - 1];
        victim.Kill();

        // The gateway retries the visitor's reads on another node while its health checks take the dead one out.
        for (var i = 0; i < 20; i++)
        {
            await AssertCartAsync(expectedCount: 2, notServedBy: servedBy);
        }

        await victim.RestartAsync();
        foreach (var node in _nodes)
        {
            node.Kill();
            await AssertCartAsync(expectedCount: 2, notServedBy: null);
            await node.RestartAsync();
            await AssertCartAsync(expectedCount: 2, notServedBy: null);
        }

        using var more = await PostAsync("/cart", ("productId", "110"), ("quantity", "1"));
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        await AssertCartAsync(expectedCount: 3, notServedBy: null);
    }

    private async Task AssertCartAsync(int expectedCount, string? notServedBy)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _gatewayUrl + "/cart");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("Cookie", _cookie);
        using var response = await _client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"GET /cart answered {(int)response.StatusCode}; the gateway logged:\n" + string.Join('\n', _gatewayLog.Entries.TakeLast(30).Select(e =>
                $"{e.Level} {e.Category}: {e.Message} {e.Exception?.Message}")));
        var cart = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("anna@shop.test", cart.GetProperty("account").GetString());
        Assert.Equal(expectedCount, cart.GetProperty("count").GetInt32());
        if (notServedBy is not null)
        {
            Assert.NotEqual(notServedBy, cart.GetProperty("node").GetString());
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _gatewayUrl + path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_cookie is not null)
        {
            request.Headers.Add("Cookie", _cookie);
        }
        return await _client.SendAsync(request);
    }
}
