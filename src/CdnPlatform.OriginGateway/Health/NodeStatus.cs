using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Health;

/// <summary>What the gateway currently knows about one origin node.</summary>
/// <param name="Available">Whether the node gets traffic: neither health check says it is unhealthy.</param>
public sealed record NodeStatus(
    string Id,
    string Address,
    DestinationHealth Active,
    DestinationHealth Passive,
    bool Available,
    int ConcurrentRequests);
