namespace CdnPlatform.OriginGateway;

/// <summary>One origin node behind the gateway.</summary>
/// <param name="Key">Its key under <c>Gateway:Nodes</c>; the YARP destination is named <c>node-{Key}</c>.</param>
/// <param name="Address">Where the gateway forwards to and probes, e.g. <c>http://127.0.21.11:8080</c>.</param>
public sealed record OriginNode(string Key, Uri Address)
{
    public string DestinationId => $"node-{Key}";
}
