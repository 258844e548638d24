using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Health;

/// <summary>What the gateway currently knows about one origin node.</summary>
/// <param name="Id">The node's name (<c>Gateway:Nodes:N:Name</c>), which drains use.</param>
/// <param name="Healthy">Neither health check says the node is unhealthy.</param>
/// <param name="Drained">The node is drained: it gets no new requests while another node can serve.</param>
/// <param name="Available">Whether new requests may go to the node now: in YARP's available set.</param>
/// <param name="InFlight">Requests the gateway is forwarding to the node right now.</param>
/// <param name="Probes">Active health probes of the node completed since this gateway started.</param>
/// <param name="LastProbe"><c>ok</c>, <c>not ready</c> (the node answered 503: out of rotation at once) or <c>failed</c> (no answer in time, or another status); null before the first probe.</param>
/// <param name="ProbeFailuresInARow">Probes not <c>ok</c> since the last that was; a node leaves rotation at <c>Gateway:HealthCheckFailureThreshold</c>, or at the first <c>not ready</c>.</param>
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
    string? LastProbe,
    int ProbeFailuresInARow);
