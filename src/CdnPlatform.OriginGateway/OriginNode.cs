namespace CdnPlatform.OriginGateway;

/// <summary>One origin node behind the gateway.</summary>
/// <param name="Key">Its key under <c>Gateway:Nodes</c>.</param>
/// <param name="Name">
/// What ops and the control plane call it (<c>primary-1</c>), and the name of its YARP destination; a node
/// configured by its URL alone is <c>node-{Key}</c>.
/// </param>
/// <param name="Address">Where the gateway forwards to and probes, e.g. <c>http://127.0.21.11:8080</c>.</param>
public sealed record OriginNode(string Key, string Name, Uri Address)
{
    public string DestinationId => Name;
}
