namespace CdnPlatform.Control.Api;

/// <summary>The answer of <c>POST /v1/dc/{name}/kill</c>, <c>/start</c>, <c>/pause</c> and <c>/resume</c>: the datacenter's state once the call is done.</summary>
/// <param name="State"><c>killed</c>, <c>running</c>, <c>paused</c> or <c>paused (its Redis)</c>.</param>
public sealed record DatacenterPowerState(string Datacenter, string State, long Milliseconds);
