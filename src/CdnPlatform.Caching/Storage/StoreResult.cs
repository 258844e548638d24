namespace CdnPlatform.Caching.Storage;

/// <summary>What became of an entry handed to <see cref="MemoryCacheStore.Store"/>.</summary>
public enum StoreResult
{
    Stored,

    /// <summary>It does not fit the byte budget, even after eviction.</summary>
    NoRoom,

    /// <summary>A purge reached its URL, a tag or a prefix of it after its origin request began: it may be the purged content.</summary>
    Superseded,
}
