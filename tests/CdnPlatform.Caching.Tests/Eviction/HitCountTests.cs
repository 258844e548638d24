using CdnPlatform.Caching.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>An entry's hit count, the only thing a hit writes for eviction: two bits' worth, spent by the evictor.</summary>
public sealed class HitCountTests
{
    private readonly CacheEntry _entry = new TestEntries(new FakeTimeProvider()).Make("http://example.com/a");

    [Fact]
    public void RecordHit_CountsUpToThree()
    {
        for (var i = 0; i < 10; i++)
        {
            _entry.RecordHit();
        }

        Assert.Equal(CacheEntry.MaxHitsCounted, _entry.HitsSinceTurn);
        Assert.Equal(3, CacheEntry.MaxHitsCounted);
    }

    [Fact]
    public void SpendHit_TakesOne_AndStopsAtZero()
    {
        _entry.RecordHit();
        _entry.RecordHit();

        _entry.SpendHit();
        Assert.Equal(1, _entry.HitsSinceTurn);
        _entry.SpendHit();
        _entry.SpendHit();
        Assert.Equal(0, _entry.HitsSinceTurn);
    }

    [Fact]
    public void TakeReferenced_SaysWhetherHitSinceLastTurn_AndClearsTheCount()
    {
        _entry.RecordHit();
        _entry.RecordHit();

        Assert.True(_entry.TakeReferenced());
        Assert.Equal(0, _entry.HitsSinceTurn);
        Assert.False(_entry.TakeReferenced());
    }

    [Fact]
    public void ForgetHits_ClearsTheCount()
    {
        _entry.RecordHit();

        _entry.ForgetHits();

        Assert.Equal(0, _entry.HitsSinceTurn);
    }

    [Fact]
    public void AnUpdatedCopy_KeepsTheCount()
    {
        // A 304's headers or a soft purge replace the entry with a copy: the URL is as hot as before.
        _entry.RecordHit();
        _entry.RecordHit();

        var copy = _entry.AsInvalidated(DateTimeOffset.UnixEpoch);

        Assert.Equal(2, copy.HitsSinceTurn);
    }
}
