using CdnPlatform.Control.Nodes;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// Restarts an origin node of a <see cref="LocalNetwork"/> in its process, for the control plane's
/// <c>POST /v1/nodes/{dc}/{node}/restart</c>: what a deploy does to a real host, done to an in-process one.
/// </summary>
internal sealed class LocalNodeRestarter(LocalNetwork network) : INodeRestarter
{
    public async Task RestartAsync(string datacenter, string node, CancellationToken cancellationToken)
    {
        var origin = network.Nodes.SingleOrDefault(n => n.Role == "origin" && n.Name == node)
            ?? throw new NodeRestartException($"this network has no origin node '{node}'");
        try
        {
            await network.RestartNodeAsync(origin.Url);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Kestrel reports an address in use as an IOException: the port was taken while the node was down.
            throw new NodeRestartException($"{node} did not start again at {origin.Url}: {e.Message}", e);
        }
    }
}
