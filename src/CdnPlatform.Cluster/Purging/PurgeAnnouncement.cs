namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// News that the log has grown to <see cref="Sequence"/>. When the transport could carry it,
/// <see cref="Purge"/> is that entry itself, exactly as the log holds it, so a reader that is right behind
/// applies it without reading the log back: one round trip less on the path every purge waits for.
/// Null when only the sequence came (an entry too large to announce whole, or one that did not parse).
/// </summary>
public sealed record PurgeAnnouncement(long Sequence, PurgeMessage? Purge);
