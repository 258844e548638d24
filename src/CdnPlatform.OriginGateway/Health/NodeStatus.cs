using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Health;

/// <summary>What the gateway currently knows about one origin node.</summary>
/// <param name="Id">The node's name (<c>Gateway:Nodes:N:Name</c>), which drains use.</param>
/// <param name="Healthy">Neither health check says the node is unhealthy.</param>
/// <param name="Drained">The node is drained: it gets no new requests while another node can serve.</param>
/// <param name="Available">Whether new requests may go to the node now: in YARP's available set.</param>
/// <param name="InFlight">Requests the gateway is forwarding to the node right now.</param>
/// <param name="Probes">Active health probes of the node completed since this gateway started.</param>
/// <param name="LastProbe"><c>ok</c> or <c>failed</c>; null before the first probe.</param>
public sealed record NodeStatus(
    string Id,
    string Address,
    DestinationHealth Active,
    DestinationHealth Passive,
    bool Healthy,
    bool Drained,
    bool Available,
    int InFlight,
    long Probes,
    string? LastProbe);
