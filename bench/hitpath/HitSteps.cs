using BenchmarkDotNet.Attributes;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Delivery;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http.Headers;
using CdnPlatform.Http.Vary;
using Microsoft.AspNetCore.Http;

namespace HitPath;

/// <summary>
/// The steps of a cache hit that are the edge's own, each alone: the key from the request's parts, the lookup with
/// its Vary match, and the stored fields written to a response. Kestrel's parsing and sending are not in here (the
/// peers run in bench/hit-throughput.sh measures the whole). The response is a DefaultHttpContext's, whose header
/// dictionary is not Kestrel's: header writing allocates differently on a real connection.
/// </summary>
[MemoryDiagnoser]
public class HitSteps
{
    private MemoryCacheStore _store = null!;
    private CacheKey _key;
    private CacheKey _plainKey;
    private CacheEntry _entry = null!;
    private IHeaderDictionary _requestHeaders = null!;
    private DefaultHttpContext _context = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTimeOffset.UtcNow;
        _key = CacheKey.Create("http", "www.shop.test", "/products/42");
        var vary = VaryFields.Parse("Accept-Encoding");
        _requestHeaders = new HeaderDictionary { ["Accept-Encoding"] = "gzip, br", ["Accept"] = "text/html" };
        _entry = new CacheEntry
        {
            Key = _key,
            StatusCode = 200,
            Headers =
            [
                new("Content-Type", ["text/html; charset=utf-8"]),
                new("Cache-Control", ["public, s-maxage=300"]),
                new("ETag", ["\"p42-v7\""]),
                new("Last-Modified", ["Sun, 06 Dec 2026 10:00:00 GMT"]),
                new("Date", ["Sun, 06 Dec 2026 12:00:00 GMT"]),
                new("Vary", ["Accept-Encoding"]),
            ],
            Body = new byte[1024],
            ResponseTime = _now,
            CorrectedInitialAge = TimeSpan.Zero,
            FreshnessLifetime = TimeSpan.FromSeconds(300),
            Vary = vary,
            VariantKey = VaryKey.Compute(vary, name => _requestHeaders[name]),
        };
        _store = new MemoryCacheStore(64L * 1024 * 1024);
        _store.Store(_entry);
        // The same response for a URL without Vary (an asset): the lookup is then the dictionary alone.
        _plainKey = CacheKey.Create("http", "www.shop.test", "/assets/app.js");
        _store.Store(_entry with { Key = _plainKey, Vary = VaryFields.None, VariantKey = "", Headers = [.. _entry.Headers.Where(h => h.Key != "Vary")] });
        _context = new DefaultHttpContext();
    }

    [Benchmark(Description = "key: CacheKey.Create from scheme, host, path")]
    public CacheKey Key() => CacheKey.Create("http", "www.shop.test", "/products/42");

    [Benchmark(Description = "key and lookup by characters (a plain hit's way), no Vary")]
    public CacheEntry? CharsLookup()
    {
        Span<char> chars = stackalloc char[256];
        var length = CacheKey.Format(chars, "http", "www.shop.test", "", "/assets/app.js", "");
        return _store.Find(chars[..length], _requestHeaders, StoragePlanner.Matches);
    }

    [Benchmark(Description = "lookup: store.Find with the Vary match")]
    public CacheEntry? Lookup() => _store.Find(_key, _requestHeaders, StoragePlanner.Matches);

    [Benchmark(Description = "lookup: store.Find, no Vary")]
    public CacheEntry? PlainLookup() => _store.Find(_plainKey, _requestHeaders, StoragePlanner.Matches);

    [Benchmark(Description = "head: stored fields, Age, Cache-Status written")]
    public void Head() => CachedResponseWriter.WriteHead(_context.Response, _entry, _now, CacheStatus.ForHit(TimeSpan.Zero));
}
