namespace CdnPlatform.Control.Api;

/// <summary>One step of a switchover or failover: what it did, how long it took, and what it found.</summary>
public sealed record SwitchStep(string Step, long Milliseconds, string Detail);
