namespace CdnPlatform.Control.Api;

/// <summary>The body of <c>POST /v1/dc/switchover</c> (and failover): the target datacenter, and whether to go even if it looks unhealthy.</summary>
public sealed record SwitchRequest(string To, bool Force = false);
