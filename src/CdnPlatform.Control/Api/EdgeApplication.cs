namespace CdnPlatform.Control.Api;

/// <summary>Whether one edge applied a purge; <see cref="AppliedAt"/> is null when known only from its durable mark.</summary>
public sealed record EdgeApplication(string Edge, bool Applied, DateTimeOffset? AppliedAt);
