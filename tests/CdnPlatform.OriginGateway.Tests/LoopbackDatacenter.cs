using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>A datacenter on loopback: origin nodes, a gateway over them, and a client of the gateway.</summary>
internal sealed class LoopbackDatacenter : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _started = [];
    private readonly List<HttpClient> _parkingClients = [];

    private LoopbackDatacenter()
    {
    }

    /// <summary>The origin nodes by name (their <c>X-Served-By</c>).</summary>
    public Dictionary<string, RunningHost> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>The nodes by name when they are <see cref="TestNode"/>s (<see cref="StartTestNodesAsync"/>).</summary>
    public Dictionary<string, TestNode> TestNodes { get; } = new(StringComparer.Ordinal);

    public RunningHost Gateway { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Nodes running the reference origin site.</summary>
    public static Task<LoopbackDatacenter> StartAsync(params string[] nodeNames) =>
        StartAsync(nodeNames, [], async (datacenter, name) =>
        {
            var node = await TestHosts.StartOriginAsync(name);
            datacenter._started.Add(node);
            return node;
        });

    /// <summary><see cref="TestNode"/>s, whose failures the test sets; <paramref name="gatewayArgs"/> go to the gateway.</summary>
    public static Task<LoopbackDatacenter> StartTestNodesAsync(string[] nodeNames, params string[] gatewayArgs) =>
        StartAsync(nodeNames, gatewayArgs, async (datacenter, name) =>
        {
            var node = await TestNode.StartAsync(name, holdsRequests: name == nodeNames[0]);
            datacenter._started.Add(node);
            datacenter.TestNodes.Add(name, node);
            return node.Host;
        });

    /// <summary>A visitor's GET through the gateway: the status, and the node that answered (null when none did).</summary>
    public async Task<(HttpStatusCode Status, string? ServedBy)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var servedBy = response.Headers.TryGetValues("X-Served-By", out var values) ? values.Single() : null;
        return (response.StatusCode, servedBy);
    }

    /// <summary>A request held on <paramref name="node"/> through the gateway (<see cref="TestNode.ParkAsync"/>).</summary>
    public Task<Task<HttpResponseMessage>> ParkAsync(TestNode node)
    {
        var client = TestHosts.ClientFor(Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;
        _parkingClients.Add(client);
        return node.ParkAsync(client);
    }

    /// <summary>Whether the gateway's <c>/gateway/status</c> has the node in rotation (neither health check against it).</summary>
    public async Task<bool> InRotationAsync(string node) => (await NodeStatusAsync(node)).GetProperty("available").GetBoolean();

    /// <summary>The node's passive health as <c>/gateway/status</c> reports it: <c>unknown</c>, <c>healthy</c> or <c>unhealthy</c>.</summary>
    public async Task<string> PassiveHealthAsync(string node) => (await NodeStatusAsync(node)).GetProperty("passive").GetString()!;

    /// <summary>The node's entry in <c>/gateway/status</c>.</summary>
    public async Task<JsonElement> NodeStatusAsync(string node)
    {
        using var status = JsonDocument.Parse(await Client.GetStringAsync("/gateway/status"));
        return NodeIn(status.RootElement, node);
    }

    /// <summary>The node's entry in a gateway status body.</summary>
    public JsonElement NodeIn(JsonElement status, string node)
    {
        var address = Nodes[node].Address.AbsoluteUri;
        return status.GetProperty("nodes").EnumerateArray()
            .Single(entry => entry.GetProperty("address").GetString() == address)
            .Clone();
    }

    /// <summary><c>PUT /gateway/drains</c> with these nodes as the drained set: the status and the body of the answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> DrainAsync(params string[] nodes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/gateway/drains")
        {
            Content = JsonContent.Create(new { nodes }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHosts.AdminKey);
        using var response = await Client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    private static async Task<LoopbackDatacenter> StartAsync(string[] nodeNames, string[] gatewayArgs,
        Func<LoopbackDatacenter, string, Task<RunningHost>> startNode)
    {
        var datacenter = new LoopbackDatacenter();
        try
        {
            foreach (var name in nodeNames)
            {
                datacenter.Nodes.Add(name, await startNode(datacenter, name));
            }

            datacenter.Gateway = await TestHosts.StartGatewayAsync(datacenter.Nodes.Select(node => (node.Key, node.Value.Address)), gatewayArgs);
            datacenter._started.Add(datacenter.Gateway);
            datacenter.Client = TestHosts.ClientFor(datacenter.Gateway.Address);
            return datacenter;
        }
        catch
        {
            await datacenter.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        // Parked requests are given up first, so that the gateway does not wait for them to stop.
        _parkingClients.ForEach(client => client.Dispose());
        // The gateway first, so it does not probe nodes that are going away.
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
    }
}
