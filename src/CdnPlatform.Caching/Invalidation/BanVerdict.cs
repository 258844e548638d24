namespace CdnPlatform.Caching.Invalidation;

/// <summary>What the pending bans do to one stored entry.</summary>
internal enum BanVerdict
{
    Keep,
    MarkStale,
    Remove,
}
