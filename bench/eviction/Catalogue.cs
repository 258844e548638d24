using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Bench.Eviction;

/// <summary>
/// The objects a trace asks for: a URL each and a body size drawn from a log-normal distribution (heavy-tailed,
/// as CDN object sizes are), clamped to what an edge stores (<c>Edge:MaxObjectBytes</c>' default, 8 MiB).
/// </summary>
internal sealed class Catalogue
{
    public const int MinBodyBytes = 100;
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    private Catalogue(CacheKey[] keys, int[] bodyBytes)
    {
        Keys = keys;
        BodyBytes = bodyBytes;
    }

    public CacheKey[] Keys { get; }

    public int[] BodyBytes { get; }

    public int Count => Keys.Length;

    /// <param name="medianBytes">The log-normal's median (e^μ).</param>
    /// <param name="sigma">The log-normal's σ: 1.5 puts the mean at about 3× the median and the 99.9th percentile near 100× it.</param>
    public static Catalogue Generate(int objects, double medianBytes, double sigma, Random random)
    {
        var keys = new CacheKey[objects];
        var sizes = new int[objects];
        var mu = Math.Log(medianBytes);
        for (var i = 0; i < objects; i++)
        {
            keys[i] = CacheKey.Create("https", "www.shop.test", $"/objects/{i}");
            var size = Math.Exp(mu + sigma * StandardNormal(random));
            sizes[i] = (int)Math.Clamp(size, MinBodyBytes, MaxBodyBytes);
        }
        return new Catalogue(keys, sizes);
    }

    // Box–Muller: two uniforms make a standard normal (the second one it could make is not needed).
    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
