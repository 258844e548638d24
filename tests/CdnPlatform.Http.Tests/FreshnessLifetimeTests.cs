using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §4.2.1: freshness lifetime in a shared cache.</summary>
public sealed class FreshnessLifetimeTests
{
    private static readonly DateTimeOffset ResponseTime = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan? Lifetime(string cacheControl, string? expires = null, string? date = null) =>
        FreshnessLifetime.ForSharedCache(CacheControl.Parse(cacheControl), expires, date, ResponseTime);

    [Fact]
    public void SMaxAge_BeatsMaxAge()
    {
        Assert.Equal(TimeSpan.FromSeconds(300), Lifetime("max-age=60, s-maxage=300"));
        Assert.Equal(TimeSpan.FromSeconds(10), Lifetime("s-maxage=10, max-age=600"));
    }

    [Fact]
    public void SMaxAge_BeatsExpires()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Lifetime("s-maxage=30", "Sun, 22 Nov 2026 13:00:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Fact]
    public void MaxAge_BeatsExpires()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Lifetime("max-age=60", "Sun, 22 Nov 2026 13:00:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Fact]
    public void MaxAge_BeatsInvalidExpires()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Lifetime("max-age=60", "0"));
    }

    [Fact]
    public void MaxAge_Zero_IsZeroLifetime()
    {
        Assert.Equal(TimeSpan.Zero, Lifetime("max-age=0", "Sun, 22 Nov 2026 13:00:00 GMT"));
    }

    [Fact]
    public void Expires_WithoutDirectives_IsExpiresMinusDate()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), Lifetime("", "Sun, 22 Nov 2026 13:30:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Fact]
    public void Expires_UsesDateHeaderRatherThanResponseTime()
    {
        // Date says 11:00 while the response arrived at 12:00: the lifetime is measured from Date.
        Assert.Equal(TimeSpan.FromHours(2), Lifetime("", "Sun, 22 Nov 2026 13:00:00 GMT", "Sun, 22 Nov 2026 11:00:00 GMT"));
    }

    [Fact]
    public void Expires_InObsoleteRfc850Form_IsHonoured()
    {
        Assert.Equal(TimeSpan.FromHours(1), Lifetime("", "Sunday, 22-Nov-26 13:00:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Fact]
    public void Expires_WithoutDate_IsMeasuredFromResponseTime()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), Lifetime("", "Sun, 22 Nov 2026 12:10:00 GMT"));
    }

    [Fact]
    public void Expires_WithInvalidDate_IsMeasuredFromResponseTime()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), Lifetime("", "Sun, 22 Nov 2026 12:10:00 GMT", "yesterday"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("tomorrow")]
    [InlineData("2026-11-22T13:00:00Z")]
    public void Expires_Invalid_IsZeroLifetime(string expires)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime("", expires, "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Fact]
    public void Expires_BeforeDate_IsZeroLifetimeNotNegative()
    {
        Assert.Equal(TimeSpan.Zero, Lifetime("", "Sun, 22 Nov 2026 11:00:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Theory]
    [InlineData("max-age=60, max-age=120")]
    [InlineData("s-maxage=60, s-maxage=61, max-age=60")]
    [InlineData("s-maxage=abc, max-age=60")]
    [InlineData("max-age=-5")]
    public void ConflictingOrInvalidDirectives_AreZeroLifetime(string cacheControl)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(cacheControl, "Sun, 22 Nov 2026 13:00:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("public")]
    [InlineData("no-cache, must-revalidate")]
    [InlineData("max-stale=60, min-fresh=5")]
    public void NoExplicitFreshness_IsNull(string cacheControl)
    {
        Assert.Null(Lifetime(cacheControl, date: "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Fact]
    public void HugeMaxAge_IsCappedAt2To31Seconds()
    {
        Assert.Equal(CacheControl.MaxDelta, Lifetime("max-age=99999999999999"));
    }
}
