using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Publishing;

/// <summary>What a publish did: the product as stored now, and how far its purge got.</summary>
/// <param name="PurgeState">
/// <c>purged</c> (applied at every edge), <c>accepted</c> (the control plane has it, not every edge yet),
/// <c>queued</c> (the control plane did not take it; the outbox retries), <c>not-configured</c> (no CDN in front).
/// </param>
/// <param name="Milliseconds">From the publish request coming in to the purge applied at every edge, when it was.</param>
public sealed record PublishOutcome(Product Product, string PurgeState, string? PurgeId, double? Milliseconds, double? PropagationMs, string? Reason);
