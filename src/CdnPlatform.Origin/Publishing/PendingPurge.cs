namespace CdnPlatform.Origin.Publishing;

/// <summary>A purge a publish owes the CDN, kept in the outbox until the control plane has accepted it.</summary>
/// <param name="EntryId">The outbox's own id for it (a Redis stream entry id, or a counter in memory).</param>
/// <param name="Tags">The surrogate keys to purge, e.g. <c>product-101</c>.</param>
/// <param name="PublishedAt">When the publish that owes it was made.</param>
public sealed record PendingPurge(string EntryId, IReadOnlyList<string> Tags, DateTimeOffset PublishedAt);
