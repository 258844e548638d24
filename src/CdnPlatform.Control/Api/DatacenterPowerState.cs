namespace CdnPlatform.Control.Api;

/// <summary>The answer of <c>POST /v1/dc/{name}/kill</c> and <c>/start</c>: the datacenter's state once the call is done.</summary>
/// <param name="State"><c>killed</c> or <c>running</c>.</param>
public sealed record DatacenterPowerState(string Datacenter, string State, long Milliseconds);
