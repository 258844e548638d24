using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>Hit-for-pass: a URL whose responses were not shareable goes straight to the origin for a while.</summary>
public sealed class HitForPassTests
{
    private readonly FakeTimeProvider _clock = new();
    private static readonly CacheKey Key = TestEntries.Key("http://example.com/account");

    [Fact]
    public void HitForPass_UnmarkedUrl_IsNotPass()
    {
        Assert.False(new MemoryCacheStore(1000, _clock).IsPass(Key));
    }

    [Fact]
    public void HitForPass_LastsExactlyItsDuration()
    {
        var store = new MemoryCacheStore(1000, _clock);
        store.MarkPass(Key, TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(store.IsPass(Key));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(store.IsPass(Key));
    }

    [Fact]
    public void HitForPass_ClearPass_EndsItAtOnce()
    {
        var store = new MemoryCacheStore(1000, _clock);
        store.MarkPass(Key, TimeSpan.FromMinutes(5));
        Assert.True(store.IsPass(Key));

        store.ClearPass(Key);

        Assert.False(store.IsPass(Key));
    }

    [Fact]
    public void HitForPass_MarkingAgain_RestartsTheDuration()
    {
        var store = new MemoryCacheStore(1000, _clock);
        store.MarkPass(Key, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(20));

        store.MarkPass(Key, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(store.IsPass(Key));
    }

    [Fact]
    public void HitForPass_AppliesToThatUrlOnly()
    {
        var store = new MemoryCacheStore(1000, _clock);
        store.MarkPass(Key, TimeSpan.FromSeconds(30));

        Assert.False(store.IsPass(TestEntries.Key("http://example.com/other")));
        Assert.False(store.IsPass(TestEntries.Key("https://example.com/account")));
        Assert.False(store.IsPass(TestEntries.Key("http://example.com/account?x=1")));
    }

    [Fact]
    public void HitForPass_ZeroDuration_IsNoPass()
    {
        var store = new MemoryCacheStore(1000, _clock);

        store.MarkPass(Key, TimeSpan.Zero);

        Assert.False(store.IsPass(Key));
    }
}
