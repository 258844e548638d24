using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control;
using CdnPlatform.OriginGateway;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// A datacenter on loopback as the control plane drains it: <see cref="TestNode"/>s (the first holds <c>/hold</c>),
/// a pair of gateways over them, and a control plane that knows both gateways.
/// </summary>
internal sealed class DrainableDatacenter : IAsyncDisposable
{
    public const string Datacenter = "primary";
    public const string ApiKey = "drain-api-key-0123456789";
    private const string GatewayKey = "drain-gateway-key-0123456789";

    private readonly List<RunningHost> _gateways = [];
    private readonly List<HttpClient> _clients = [];
    private string[] _gatewayArgs = [];

    private DrainableDatacenter()
    {
    }

    public Dictionary<string, TestNode> Nodes { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RunningHost> Gateways => _gateways;

    public RunningHost Control { get; private set; } = null!;

    public HttpClient ControlClient { get; private set; } = null!;

    public static async Task<DrainableDatacenter> StartAsync(string[] nodeNames, Action<IServiceCollection>? controlServices = null)
    {
        var datacenter = new DrainableDatacenter();
        try
        {
            foreach (var name in nodeNames)
            {
                datacenter.Nodes.Add(name, await TestNode.StartAsync(name, holdsRequests: name == nodeNames[0]));
            }
            datacenter._gatewayArgs =
            [
                "--Logging:LogLevel:Default", "Warning", "--Gateway:Datacenter", Datacenter, "--Gateway:AdminKey", GatewayKey,
                "--Gateway:HealthCheckIntervalSeconds", "1",
                .. nodeNames.SelectMany((name, i) => new[]
                {
                    $"--Gateway:Nodes:{i}:Name", name, $"--Gateway:Nodes:{i}:Url", datacenter.Nodes[name].Host.Address.AbsoluteUri,
                }),
            ];
            for (var g = 0; g < 2; g++)
            {
                datacenter._gateways.Add(await RunningHost.StartAsync(OriginGatewayHost.Build(["--urls", "http://127.0.0.1:0", .. datacenter._gatewayArgs])));
            }
            datacenter.Control = await RunningHost.StartAsync(ControlHost.Build(
            [
                "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
                "--Control:ApiKey", ApiKey, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
                "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
                "--Control:GatewayKey", GatewayKey, "--Control:Datacenters:0:Name", Datacenter,
                .. datacenter._gateways.SelectMany((gateway, g) => new[] { $"--Control:Datacenters:0:Gateways:{g}", gateway.Address.AbsoluteUri }),
                .. nodeNames.SelectMany((name, i) => new[] { $"--Control:Datacenters:0:Nodes:{i}", name }),
            ], services =>
            {
                services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus());
                controlServices?.Invoke(services);
            }));
            datacenter.ControlClient = datacenter.Client(datacenter.Control.Address);
            datacenter.ControlClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            return datacenter;
        }
        catch
        {
            await datacenter.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of <paramref name="address"/> that waits as long as the request takes (held requests included).</summary>
    public HttpClient Client(Uri address)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        _clients.Add(client);
        return client;
    }

    /// <summary>Stops gateway <paramref name="index"/> and starts a new one from the same settings on the same address.</summary>
    public async Task RestartGatewayAsync(int index)
    {
        var address = _gateways[index].Address;
        await _gateways[index].DisposeAsync();
        _gateways[index] = await RunningHost.StartAsync(OriginGatewayHost.Build(["--urls", address.AbsoluteUri.TrimEnd('/'), .. _gatewayArgs]));
    }

    /// <summary>A visitor's GET through gateway <paramref name="gateway"/>: the node that answered it.</summary>
    public async Task<string> ServedByAsync(int gateway, string path = "/page")
    {
        using var client = new HttpClient { BaseAddress = _gateways[gateway].Address };
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Served-By").Single();
    }

    /// <summary>Gateway <paramref name="gateway"/>'s own <c>/gateway/status</c> entry for <paramref name="node"/>.</summary>
    public async Task<JsonElement> GatewayViewAsync(int gateway, string node)
    {
        using var client = new HttpClient { BaseAddress = _gateways[gateway].Address };
        var status = await client.GetFromJsonAsync<JsonElement>("/gateway/status");
        return status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == node);
    }

    /// <summary>A control-plane call on a node: the status and the body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> NodeCallAsync(HttpMethod method, string pathAfterNode)
    {
        using var response = await ControlClient.SendAsync(new HttpRequestMessage(method, $"/v1/nodes/{Datacenter}/{pathAfterNode}"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async ValueTask DisposeAsync()
    {
        // Held requests are given up first, so that no host waits for them to stop.
        _clients.ForEach(client => client.Dispose());
        if (Control is not null)
        {
            await Control.DisposeAsync();
        }
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }
        foreach (var node in Nodes.Values)
        {
            await node.DisposeAsync();
        }
    }
}
