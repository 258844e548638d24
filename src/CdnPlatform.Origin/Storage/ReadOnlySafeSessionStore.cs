using Microsoft.Extensions.Caching.Distributed;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// The session store (Microsoft.Extensions.Caching.StackExchangeRedis) with two changes. A session expires a
/// fixed time after it last changed, not after it was last read. ASP.NET Core session asks for sliding
/// expiration, which makes the Redis cache refresh the key's TTL (<c>EXPIRE</c>, a write) on every read;
/// a DR replica refuses writes, so every session read there would fail. With an absolute expiry a read is a
/// read, a DR node serves the primary's sessions from its replica, and the primary saves a write per click.
/// Session writes still renew it: every change to a session stores it again with a fresh expiry. And a read gives up
/// waiting when its token is cancelled, also while Redis is stalled.
/// </summary>
public sealed class ReadOnlySafeSessionStore(IDistributedCache inner) : IDistributedCache
{
    public byte[]? Get(string key) => inner.Get(key);

    // The Redis cache stops waiting only for a token cancelled before it asks; a read caught in a stall gives up here.
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token).WaitAsync(token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, Absolute(options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        inner.SetAsync(key, value, Absolute(options), token);

    // Nothing to refresh: the entry's expiry is absolute.
    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    private static DistributedCacheEntryOptions Absolute(DistributedCacheEntryOptions options) => options.SlidingExpiration is { } idle
        ? new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = idle }
        : options;
}
