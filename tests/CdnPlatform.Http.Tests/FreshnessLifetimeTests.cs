using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

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
    [InlineData("s-maxage=abc, max-age=60")]
    [InlineData("max-age=60, max-age=oops")]
    [InlineData("max-age=-5")]
    public void ConflictingOrInvalidDirectives_AreZeroLifetime(string cacheControl)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(cacheControl, "Sun, 22 Nov 2026 13:00:00 GMT", "Sun, 22 Nov 2026 12:00:00 GMT"));
    }

    [Theory]
    [InlineData("max-age=60, max-age=120", 60)]
    [InlineData("s-maxage=60, s-maxage=61, max-age=60", 60)]
    public void DuplicatedDirectives_UseTheFirstOccurrence(string cacheControl, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Lifetime(cacheControl));
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

    // --- FreshnessInputs: the http-cache-tests cases (cc-freshness, expires-freshness, expires-parse) ------

    private static string At(int seconds) => HttpDate.Format(ResponseTime.AddSeconds(seconds));

    /// <summary>A response as the suite sends it: "Date", "Expires" given as offsets from the response time.</summary>
    private static TimeSpan? Lifetime(FreshnessInputs inputs) => FreshnessLifetime.ForSharedCache(inputs);

    private static FreshnessInputs Response(string? cacheControl = null, StringValues expires = default, StringValues date = default,
        int status = 200) => new()
    {
        CacheControl = CacheControl.Parse(cacheControl),
        StatusCode = status,
        Expires = expires,
        Date = date,
        ResponseTime = ResponseTime,
    };

    /// <summary>Fresh when the lifetime exceeds the age the response has on arrival plus what the suite waits.</summary>
    private static bool IsFreshAfter(FreshnessInputs inputs, StringValues age, int waitSeconds)
    {
        var lifetime = Lifetime(inputs) ?? TimeSpan.Zero;
        var initialAge = ResponseAge.CorrectedInitialAge(age, inputs.Date, ResponseTime, ResponseTime);
        return lifetime > ResponseAge.Current(initialAge, ResponseTime, ResponseTime.AddSeconds(waitSeconds));
    }

    [Fact]
    public void MaxAge_IsTheLifetime() // freshness-max-age
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Lifetime(Response("max-age=3600")));
    }

    [Fact]
    public void MaxAgeZero_IsStale() // freshness-max-age-0
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(Response("max-age=0")));
    }

    // freshness-max-age-max-minus-1, -max, -max-plus-1, -max-plus
    [Theory]
    [InlineData("2147483647", 2147483647L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("2147483649", 2147483648L)]
    [InlineData("99999999999", 2147483648L)]
    public void MaxAge_AroundTwoToThe31_IsCappedNotInvalid(string value, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Lifetime(Response($"max-age={value}")));
    }

    [Fact]
    public void AgeBeyondMaxAge_IsStale() // freshness-max-age-age
    {
        Assert.False(IsFreshAfter(Response("max-age=3600", date: At(0)), "7200", 3));
    }

    [Fact]
    public void DateFarInThePast_CountsAsApparentAge() // freshness-max-age-date (check)
    {
        Assert.False(IsFreshAfter(Response("max-age=3600", date: At(-7200)), default, 3));
    }

    [Theory]
    [InlineData(-7200)] // freshness-max-age-expires
    [InlineData(3600)]
    public void MaxAge_OverridesExpires(int expiresIn)
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Lifetime(Response("max-age=3600", At(expiresIn), At(0))));
    }

    [Fact]
    public void MaxAge_OverridesAnInvalidExpires() // freshness-max-age-expires-invalid
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Lifetime(Response("max-age=3600", "0", At(0))));
    }

    [Fact]
    public void MaxAgeZero_OverridesAFutureExpires() // freshness-max-age-0-expires
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(Response("max-age=0", At(3600), At(0))));
    }

    [Theory]
    [InlineData("foobar, max-age=3600")] // freshness-max-age-extension
    [InlineData("MaX-aGe=3600")] // freshness-max-age-case-insenstive
    [InlineData("max-age=003600")] // freshness-max-age-leading-zero
    [InlineData("max-age=\"3600\"")] // freshness-max-age-quoted (check)
    public void MaxAge_SpelledAnyAllowedWay_IsTheLifetime(string cacheControl)
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Lifetime(Response(cacheControl)));
    }

    // freshness-max-age-negative, freshness-max-age-single-quoted; the checks -decimal-zero, -decimal-five,
    // -space-before-equals, -space-after-equals, -a100, -100a: RFC 9111 §4.2.1 encourages treating invalid
    // freshness as stale, which the suite's decimal/alpha checks (answered "cached") do not.
    [Theory]
    [InlineData("max-age=-3600")]
    [InlineData("max-age='3600'")]
    [InlineData("max-age=3600.0")]
    [InlineData("max-age=3600.5")]
    [InlineData("max-age =3600")]
    [InlineData("max-age= 3600")]
    [InlineData("max-age=a3600")]
    [InlineData("max-age=3600a")]
    public void MaxAge_Invalid_IsStale(string cacheControl)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(Response(cacheControl, At(3600), At(0))));
    }

    // freshness-max-age-ignore-quoted, -rev, -all, -all-rev: max-age inside an extension's quoted value is not a directive.
    [Theory]
    [InlineData("extension=\"max-age=3600\", max-age=1")]
    [InlineData("max-age=1, extension=\"max-age=3600\"")]
    [InlineData("extension=\"max-age=3600\", max-age=\"1\"")]
    [InlineData("max-age=\"1\", extension=\"max-age=3600\"")]
    public void MaxAge_InsideAQuotedExtensionValue_IsNotSeen(string cacheControl)
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Lifetime(Response(cacheControl)));
    }

    [Fact]
    public void SMaxAge_IsTheLifetimeInASharedCache() // freshness-s-maxage-shared
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Lifetime(Response("s-maxage=3600")));
    }

    // freshness-max-age-s-maxage-shared-longer, -reversed, -multiple; -shorter, -shorter-expires
    [Theory]
    [InlineData(1, "max-age=3600, s-maxage=1")]
    [InlineData(1, "s-maxage=1, max-age=3600")]
    [InlineData(1, "max-age=3600", "s-maxage=1")]
    [InlineData(3600, "max-age=1, s-maxage=3600")]
    [InlineData(3600, "max-age=0, s-maxage=3600")]
    public void SMaxAge_OverridesMaxAge(int seconds, params string[] cacheControl)
    {
        var inputs = Response() with { CacheControl = CacheControl.Parse(new StringValues(cacheControl)), Expires = At(-10), Date = At(0) };

        Assert.Equal(TimeSpan.FromSeconds(seconds), Lifetime(inputs));
    }

    [Fact]
    public void FutureExpires_IsExpiresMinusDate() // freshness-expires-future
    {
        Assert.Equal(TimeSpan.FromSeconds(2592000), Lifetime(Response(expires: At(2592000), date: At(0))));
    }

    [Theory]
    [InlineData(-2592000, 0)] // freshness-expires-past
    [InlineData(0, 0)] // freshness-expires-present
    [InlineData(300, 400)] // freshness-expires-old-date
    public void ExpiresNotAfterDate_IsStale(int expires, int date)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(Response(expires: At(expires), date: At(date))));
    }

    [Theory]
    [InlineData("0")] // freshness-expires-invalid
    [InlineData("Thu, 18 Aug 2050 02:01:18 UTC")] // freshness-expires-invalid-utc (check)
    [InlineData("Thu, 18 Aug 50 02:01:18 GMT")] // freshness-expires-invalid-2-digit-year (check)
    [InlineData("Thu, 18-Aug-2050 02:01:18 GMT")] // freshness-expires-invalid-date-dashes (check)
    [InlineData("Thu, 18 Aug 2050 02.01.18 GMT")] // freshness-expires-invalid-time-periods (check)
    public void InvalidExpires_IsStale(string expires)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(Response(expires: expires, date: At(0))));
    }

    [Fact]
    public void TwoExpiresLines_AreStale() // freshness-expires-invalid-multiple-lines (check); RFC 9111 §4.2.1 allows either answer
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(Response(expires: new StringValues([At(3600), At(3601)]), date: At(0))));
    }

    [Fact]
    public void InvalidDate_MeasuresExpiresFromTheResponseTime() // freshness-expires-invalid-date
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Lifetime(Response(expires: At(10), date: "foo")));
    }

    [Theory]
    [InlineData(-10, 10, "25")] // freshness-expires-age-slow-date
    [InlineData(10, 20, "15")] // freshness-expires-age-fast-date
    public void AgeBeyondExpiresMinusDate_IsStale(int date, int expires, string age)
    {
        Assert.False(IsFreshAfter(Response(expires: At(expires), date: At(date)), age, 0));
    }

    // freshness-expires-rfc850, freshness-expires-ansi-c (checks): the obsolete forms RFC 9110 §5.6.7 makes recipients accept.
    [Theory]
    [InlineData("Thursday, 18-Aug-50 02:01:18 GMT")]
    [InlineData("Thu Aug 18 02:01:18 2050")]
    [InlineData("Thu, 18 Aug 2050 02:01:18 GMT")]
    public void Expires_InAnyHttpDateForm_IsHonoured(string expires)
    {
        Assert.True(Lifetime(Response(expires: expires, date: At(0))) > TimeSpan.FromDays(365));
    }

    [Fact]
    public void Targeted_IgnoresExpires()
    {
        // RFC 9213 §2.1: with a targeted field in charge, Cache-Control and Expires are both ignored.
        var inputs = Response(expires: At(3600), date: At(0)) with { Targeted = true };

        Assert.Null(Lifetime(inputs));
    }

    [Fact]
    public void Targeted_MaxAgeIsTheLifetime()
    {
        var targeted = TargetedCacheControl.Select("max-age=600", StringValues.Empty)!;

        Assert.Equal(TimeSpan.FromSeconds(600), Lifetime(Response(expires: At(10), date: At(0)) with { CacheControl = targeted, Targeted = true }));
    }

    [Fact]
    public void OldOverload_GivesTheSameExplicitLifetime()
    {
        var inputs = Response("public", At(90), At(0));

        Assert.Equal(Lifetime(inputs), FreshnessLifetime.ForSharedCache(inputs.CacheControl, At(90), At(0), ResponseTime));
    }

    [Fact]
    public void DefaultInputs_DoNotThrow()
    {
        Assert.Null(FreshnessLifetime.ForSharedCache(default(FreshnessInputs)));
    }
}
