using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>A stored response's age and freshness as the clock moves (RFC 9111 §4.2), and its budget cost.</summary>
public sealed class CacheEntryTests
{
    private readonly FakeTimeProvider _clock = new();

    private CacheEntry Entry(TimeSpan lifetime, TimeSpan initialAge = default, int bodyBytes = 10,
        IReadOnlyList<KeyValuePair<string, string[]>>? headers = null) => new()
    {
        Key = CacheKey.Create("http", "example.com", "/"),
        StatusCode = 200,
        Headers = headers ?? [],
        Body = new byte[bodyBytes],
        ResponseTime = _clock.GetUtcNow(),
        CorrectedInitialAge = initialAge,
        FreshnessLifetime = lifetime,
    };

    [Fact]
    public void Age_AtResponseTime_IsCorrectedInitialAge()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Entry(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)).Age(_clock.GetUtcNow()));
    }

    [Fact]
    public void Age_GrowsWithResidentTime()
    {
        var entry = Entry(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5));

        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.FromSeconds(25), entry.Age(_clock.GetUtcNow()));
    }

    [Fact]
    public void NewEntry_IsFreshWithFullTimeToLive()
    {
        var entry = Entry(TimeSpan.FromSeconds(60));

        Assert.True(entry.IsFresh(_clock.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(60), entry.TimeToLive(_clock.GetUtcNow()));
    }

    [Fact]
    public void TimeToLive_ShrinksAsClockMoves()
    {
        var entry = Entry(TimeSpan.FromSeconds(60));

        _clock.Advance(TimeSpan.FromSeconds(45));

        Assert.True(entry.IsFresh(_clock.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(15), entry.TimeToLive(_clock.GetUtcNow()));
    }

    [Fact]
    public void CorrectedInitialAge_CountsAgainstFreshness()
    {
        var entry = Entry(TimeSpan.FromSeconds(60), initialAge: TimeSpan.FromSeconds(50));

        _clock.Advance(TimeSpan.FromSeconds(11));

        Assert.False(entry.IsFresh(_clock.GetUtcNow()));
    }

    [Fact]
    public void Entry_AtExactlyItsLifetime_IsStale()
    {
        var entry = Entry(TimeSpan.FromSeconds(60));

        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.False(entry.IsFresh(_clock.GetUtcNow()));
        Assert.Equal(TimeSpan.Zero, entry.TimeToLive(_clock.GetUtcNow()));
    }

    [Fact]
    public void StaleEntry_HasNegativeTimeToLive()
    {
        var entry = Entry(TimeSpan.FromSeconds(60));

        _clock.Advance(TimeSpan.FromSeconds(90));

        Assert.False(entry.IsFresh(_clock.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(-30), entry.TimeToLive(_clock.GetUtcNow()));
    }

    [Fact]
    public void ZeroLifetime_IsNeverFresh()
    {
        Assert.False(Entry(TimeSpan.Zero).IsFresh(_clock.GetUtcNow()));
    }

    [Fact]
    public void Size_GrowsByBodyLength()
    {
        Assert.Equal(1000, Entry(TimeSpan.FromSeconds(1), bodyBytes: 1010).Size - Entry(TimeSpan.FromSeconds(1), bodyBytes: 10).Size);
    }

    [Fact]
    public void Size_CountsHeaders()
    {
        var bare = Entry(TimeSpan.FromSeconds(1));
        var withHeaders = Entry(TimeSpan.FromSeconds(1), headers: [KeyValuePair.Create("Content-Type", new[] { "text/html; charset=utf-8" })]);

        Assert.True(withHeaders.Size >= bare.Size + "Content-Type".Length + "text/html; charset=utf-8".Length);
    }

    [Fact]
    public void Size_IsAtLeastTheBody()
    {
        Assert.True(Entry(TimeSpan.FromSeconds(1), bodyBytes: 4096).Size > 4096);
    }
}
