using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Coalescing;
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
        Assert.False(new HitForPass(_clock).IsActive(Key));
    }

    [Fact]
    public void HitForPass_LastsExactlyItsDuration()
    {
        var pass = new HitForPass(_clock);
        pass.Mark(Key, TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(pass.IsActive(Key));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(pass.IsActive(Key));
    }

    [Fact]
    public void HitForPass_Clear_EndsItAtOnce()
    {
        var pass = new HitForPass(_clock);
        pass.Mark(Key, TimeSpan.FromMinutes(5));
        Assert.True(pass.IsActive(Key));

        pass.Clear(Key);

        Assert.False(pass.IsActive(Key));
    }

    [Fact]
    public void HitForPass_MarkingAgain_RestartsTheDuration()
    {
        var pass = new HitForPass(_clock);
        pass.Mark(Key, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(20));

        pass.Mark(Key, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(pass.IsActive(Key));
    }

    [Fact]
    public void HitForPass_AppliesToThatUrlOnly()
    {
        var pass = new HitForPass(_clock);
        pass.Mark(Key, TimeSpan.FromSeconds(30));

        Assert.False(pass.IsActive(TestEntries.Key("http://example.com/other")));
        Assert.False(pass.IsActive(TestEntries.Key("https://example.com/account")));
        Assert.False(pass.IsActive(TestEntries.Key("http://example.com/account?x=1")));
    }

    [Fact]
    public void HitForPass_ZeroDuration_IsNoPass()
    {
        var pass = new HitForPass(_clock);

        pass.Mark(Key, TimeSpan.Zero);

        Assert.False(pass.IsActive(Key));
    }
}
