namespace CdnPlatform.OriginGateway.Tests;

/// <summary>A datacenter on loopback: origin nodes, a gateway over them, and a client of the gateway.</summary>
internal sealed class LoopbackDatacenter : IAsyncDisposable
{
    private readonly List<RunningHost> _hosts = [];

    private LoopbackDatacenter()
    {
    }

    /// <summary>The origin nodes by name (their <c>X-Served-By</c>).</summary>
    public Dictionary<string, RunningHost> Nodes { get; } = new(StringComparer.Ordinal);

    public RunningHost Gateway { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public static async Task<LoopbackDatacenter> StartAsync(params string[] nodeNames)
    {
        var datacenter = new LoopbackDatacenter();
        try
        {
            foreach (var name in nodeNames)
            {
                var node = await TestHosts.StartOriginAsync(name);
                datacenter._hosts.Add(node);
                datacenter.Nodes.Add(name, node);
            }

            datacenter.Gateway = await TestHosts.StartGatewayAsync(datacenter.Nodes.Values.Select(node => node.Address));
            datacenter._hosts.Add(datacenter.Gateway);
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
        // The gateway first, so it does not probe nodes that are going away.
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }
}
