namespace CdnPlatform.Control.Api;

/// <summary>One probed target (a gateway's URL, a Redis endpoint): up, down or unknown, since when, and the last failure.</summary>
public sealed record ProbeView(string Target, string State, DateTimeOffset? Since, string? LastError);
