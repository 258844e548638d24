namespace CdnPlatform.Control.Api;

/// <summary>The 202 of <c>POST /v1/purge</c>: the purge is in the durable log at <see cref="Sequence"/>.</summary>
public sealed record PurgeAccepted(string Id, string Status, long Sequence);
