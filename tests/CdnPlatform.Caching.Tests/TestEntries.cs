using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>Builds stored responses stamped with a test's moved clock, every field that matters given up front (no <c>with</c> after Size is read).</summary>
internal sealed class TestEntries(FakeTimeProvider clock)
{
    public CacheEntry Make(
        string url,
        string variant = "",
        int bodyBytes = 100,
        TimeSpan? lifetime = null,
        string[]? tags = null,
        bool forbidsStale = false,
        bool requiresRevalidation = false,
        TimeSpan staleWhileRevalidate = default,
        TimeSpan staleIfError = default,
        TimeSpan initialAge = default) => new()
    {
        Key = Key(url),
        StatusCode = 200,
        Headers = [KeyValuePair.Create("Content-Type", new[] { "text/plain" })],
        Body = new byte[bodyBytes],
        ResponseTime = clock.GetUtcNow(),
        CorrectedInitialAge = initialAge,
        FreshnessLifetime = lifetime ?? TimeSpan.FromMinutes(1),
        VariantKey = variant,
        Tags = tags ?? [],
        ForbidsStale = forbidsStale,
        RequiresRevalidation = requiresRevalidation,
        StaleWhileRevalidate = staleWhileRevalidate,
        StaleIfError = staleIfError,
    };

    public static CacheKey Key(string url) => CacheKey.FromUrl(new Uri(url));

    /// <summary>The variant of the URL with exactly this variant key, as a Vary-aware lookup would ask for it.</summary>
    public static CacheEntry? FindVariant(MemoryCacheStore store, string url, string variant) =>
        store.Find(Key(url), variant, static (e, v) => e.VariantKey == v);
}
