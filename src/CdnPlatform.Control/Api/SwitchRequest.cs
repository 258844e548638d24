namespace CdnPlatform.Control.Api;

/// <summary>
/// The body of <c>POST /v1/dc/switchover</c> (failover, failback): the target datacenter, and whether to go even if it
/// looks unhealthy. <see cref="To"/> may be null for a failback only: back where the last switch came from.
/// </summary>
public sealed record SwitchRequest(string? To, bool Force = false);
