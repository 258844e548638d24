using Microsoft.AspNetCore.OutputCaching;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// The render cache around the Redis store, so that it can only ever save work, never fail a page: a read
/// that fails is a miss, a write that fails (Redis away, or a DR replica that refuses writes) is skipped.
/// Eviction is left to fail loudly, because a publish must know whether its old pages are gone.
/// </summary>
public sealed class ForgivingRenderCache(IOutputCacheStore inner, ILogger<ForgivingRenderCache> logger) : IOutputCacheStore
{
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            // The Redis store stops waiting only for a token cancelled before it asks; a stalled Redis is left here.
            return await inner.GetAsync(key, cancellationToken).AsTask().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug("Render cache read failed, rendering instead: {Reason}", e.Message);
            return null;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug("Render cache write skipped: {Reason}", e.Message);
        }
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => inner.EvictByTagAsync(tag, cancellationToken);
}
