namespace CdnPlatform.Control.Api;

/// <summary>
/// One datacenter in <c>GET /v1/dc</c>. <see cref="ControlView"/> is what the control plane's own probes say;
/// <see cref="Down"/> and <see cref="Reason"/> are the verdict failover acts on, which also needs the edges: each edge's
/// own view of the datacenter is in <see cref="Edges"/>. <see cref="ReplicationLinkUp"/> is a replica's link to its
/// primary as its last <c>INFO replication</c> said (null for a primary, or before Redis answered).
/// </summary>
public sealed record DatacenterView(
    string Name,
    bool Active,
    string ControlView,
    bool Down,
    string Reason,
    IReadOnlyList<ProbeView> Gateways,
    ProbeView? Redis,
    string? RedisRole,
    long? ReplicationOffset,
    bool? ReplicationLinkUp,
    IReadOnlyList<EdgeView> Edges);
