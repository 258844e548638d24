using CdnPlatform.Caching.Storage;
using CdnPlatform.Http.Storage;

namespace CdnPlatform.Edge.Storage;

/// <summary>
/// What the edge will do with a response once its body has passed: store it as <see cref="Entry"/>
/// (body still empty) or not, and why.
/// </summary>
internal sealed record StoragePlan(StorageDecision Decision, CacheEntry? Entry, TimeSpan? Lifetime)
{
    public static StoragePlan Refuse(string reason) => new(StorageDecision.Refuse(reason), null, null);
}
