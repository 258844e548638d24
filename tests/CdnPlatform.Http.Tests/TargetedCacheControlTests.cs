using System.Globalization;
using CdnPlatform.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9213 CDN-Cache-Control (an RFC 8941 Dictionary) and Surrogate-Control (http-cache-tests surrogate-control).</summary>
public sealed class TargetedCacheControlTests
{
    private const string DeviceToken = "cdnplatform";

    private static CacheControl? Cdn(params string[] lines) => TargetedCacheControl.Select(new StringValues(lines), StringValues.Empty, DeviceToken);

    private static CacheControl? Surrogate(params string[] lines) => TargetedCacheControl.Select(StringValues.Empty, new StringValues(lines), DeviceToken);

    [Fact]
    public void NoTargetedField_LeavesCacheControlInCharge()
    {
        Assert.Null(TargetedCacheControl.Select(StringValues.Empty, StringValues.Empty, DeviceToken));
    }

    // --- CDN-Cache-Control -----------------------------------------------------------------------------

    [Fact]
    public void CdnCacheControl_MaxAge_Governs()
    {
        var selected = Cdn("max-age=600");

        Assert.NotNull(selected);
        Assert.Equal(TimeSpan.FromSeconds(600), selected.MaxAge);
    }

    [Fact]
    public void CdnCacheControl_WithOnlyAnUnknownDirective_StillGoverns()
    {
        // RFC 9213 §3.1: "CDN-Cache-Control: none" exists to make CDNs ignore a Cache-Control: no-store.
        var selected = Cdn("none");

        Assert.NotNull(selected);
        Assert.False(selected.NoStore);
        Assert.Null(selected.MaxAge);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("no-cache")]
    [InlineData("private")]
    [InlineData("must-revalidate")]
    public void CdnCacheControl_RequiredDirectives_AreRead(string directive)
    {
        var selected = Cdn(directive)!;

        Assert.True(directive switch
        {
            "no-store" => selected.NoStore,
            "no-cache" => selected.NoCache && selected.NoCacheFields.Count == 0,
            "private" => selected.Private && selected.PrivateFields.Count == 0,
            _ => selected.MustRevalidate,
        });
    }

    [Fact]
    public void CdnCacheControl_SeveralMembersAndLines_AreOneDictionary()
    {
        var selected = Cdn("max-age=600, stale-while-revalidate=30", "stale-if-error=60, public")!;

        Assert.Equal(TimeSpan.FromSeconds(600), selected.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(30), selected.StaleWhileRevalidate);
        Assert.Equal(TimeSpan.FromSeconds(60), selected.StaleIfError);
        Assert.True(selected.Public);
    }

    [Fact]
    public void CdnCacheControl_QualifiedNoCache_IsAString()
    {
        Assert.Equal(["set-cookie", "x-user"], Cdn("no-cache=\"Set-Cookie, X-User\"")!.NoCacheFields);
    }

    [Theory]
    [InlineData("private=foo")]
    [InlineData("private=1")]
    public void CdnCacheControl_PrivateWithAValueThatIsNotAString_IsUnqualified(string field)
    {
        // RFC 9213 §2.1: values that break a directive's type are not consumed; the stricter reading wins.
        var selected = Cdn(field)!;

        Assert.True(selected.Private);
        Assert.Empty(selected.PrivateFields);
    }

    [Fact]
    public void CdnCacheControl_ParametersAreIgnored()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Cdn("max-age=60;foo=bar;baz")!.MaxAge);
    }

    [Fact]
    public void CdnCacheControl_RepeatedKey_LastValueWins()
    {
        // RFC 8941 §4.2.2: a dictionary key seen again overwrites the earlier value.
        Assert.Equal(TimeSpan.FromSeconds(3600), Cdn("max-age=1, max-age=3600")!.MaxAge);
    }

    [Fact]
    public void CdnCacheControl_BooleanFalse_TurnsTheDirectiveOff()
    {
        Assert.False(Cdn("no-store=?0, max-age=60")!.NoStore);
    }

    [Theory]
    [InlineData("max-age=1.5")]
    [InlineData("max-age=-1")]
    [InlineData("max-age=\"60\"")]
    [InlineData("max-age=sixty")]
    [InlineData("max-age")]
    [InlineData("max-age=(60)")]
    public void CdnCacheControl_LifetimeThatIsNotANonNegativeInteger_IsInvalidFreshness(string field)
    {
        Assert.True(Cdn(field)!.HasConflicts);
    }

    [Fact]
    public void CdnCacheControl_LargeIntegers_AreCappedAt2To31()
    {
        Assert.Equal(CacheControl.MaxDelta, Cdn("max-age=99999999999")!.MaxAge);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("max-age=60,")] // trailing comma
    [InlineData("Max-Age=60")] // keys are lowercase in Structured Fields
    [InlineData("max-age=60 public")]
    [InlineData("max-age=1234567890123456")] // 16 digits: past sf-integer
    [InlineData("max-age=60, no-cache=\"unterminated")]
    [InlineData("no-cache=\"tab\there\"")]
    [InlineData("max-age==60")]
    [InlineData(",max-age=60")]
    public void CdnCacheControl_EmptyOrInvalid_IsIgnoredAsAWhole(string field)
    {
        Assert.Null(TargetedCacheControl.Select(field, StringValues.Empty, DeviceToken));
    }

    [Fact]
    public void CdnCacheControl_Invalid_FallsBackToSurrogateControl()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), TargetedCacheControl.Select("max-age=60,", "max-age=5", DeviceToken)!.MaxAge);
    }

    [Fact]
    public void CdnCacheControl_BeatsSurrogateControl()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), TargetedCacheControl.Select("max-age=60", "max-age=5", DeviceToken)!.MaxAge);
    }

    [Theory]
    [InlineData("a=1, b=?1, c=\"s\", d=tok, e=:aGVsbG8=:, f=(1 2 \"x\");p=1, g=1.25, h=*tok/x:y")]
    [InlineData("  max-age=60  ")]
    [InlineData("max-age=60,\tpublic")]
    public void CdnCacheControl_AnyStructuredFieldsType_Parses(string field)
    {
        Assert.NotNull(TargetedCacheControl.Select(field, StringValues.Empty, DeviceToken));
    }

    // --- Surrogate-Control (http-cache-tests surrogate-control) ----------------------------------------

    [Theory]
    [InlineData("max-age=3600", 3600L)] // surrogate-max-age, surrogate-max-age-age (Age is judged against it)
    [InlineData("max-age=2147483648", 2147483648L)] // surrogate-max-age-max
    [InlineData("max-age=99999999999", 2147483648L)] // surrogate-max-age-max-plus
    [InlineData("max-age=3600;cdnplatform", 3600L)] // surrogate-max-age-me-target
    [InlineData("foobar, max-age=3600", 3600L)] // surrogate-max-age-extension
    [InlineData("MaX-aGe=3600", 3600L)] // surrogate-max-age-case-insensitive
    [InlineData("max-age=0", 0L)] // surrogate-max-age-0, surrogate-max-age-0-expires
    [InlineData("max-age=1", 1L)] // surrogate-max-age-long-cc-max-age
    public void SurrogateMaxAge_ForThisCache_Governs(string field, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Surrogate(field)!.MaxAge);
    }

    [Fact]
    public void SurrogateMaxAge_TargetedAtAnotherDevice_IsIgnored() // surrogate-max-age-other-target
    {
        Assert.Null(Surrogate("max-age=3600;not-for-you"));
    }

    [Fact]
    public void SurrogateTarget_WithoutADeviceTokenOfOurOwn_IsIgnored()
    {
        Assert.Null(TargetedCacheControl.Select(StringValues.Empty, "max-age=3600;cdnplatform"));
    }

    [Fact]
    public void SurrogateMaxAge_TargetedAtThisCache_BeatsTheUntargetedOne()
    {
        Assert.Equal(TimeSpan.FromSeconds(600), Surrogate("max-age=60, max-age=600;cdnplatform")!.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(60), Surrogate("max-age=60, max-age=600;other")!.MaxAge);
    }

    // surrogate-max-age-space-before-equals, -after-equals (checks): not the grammar, so no usable lifetime.
    [Theory]
    [InlineData("max-age =100")]
    [InlineData("max-age= 100")]
    public void SurrogateMaxAge_WithWhitespaceAroundEquals_IsInvalidFreshness(string field)
    {
        Assert.True(Surrogate(field)!.HasConflicts);
    }

    [Theory]
    [InlineData("no-store")] // surrogate-no-store, surrogate-no-store-cc-fresh
    [InlineData("no-store-remote")]
    [InlineData("max-age=60, no-store")]
    public void SurrogateNoStore_Governs(string field)
    {
        Assert.True(Surrogate(field)!.NoStore);
    }

    [Fact]
    public void SurrogateMaxAge_FreshnessExtension_IsStaleIfError()
    {
        var selected = Surrogate("max-age=60+600")!;

        Assert.Equal(TimeSpan.FromSeconds(60), selected.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(600), selected.StaleIfError);
    }

    [Fact]
    public void SurrogateControl_WithOnlyExtensions_LeavesCacheControlInCharge() // surrogate-remove-header
    {
        Assert.Null(Surrogate("foo"));
        Assert.Null(Surrogate("content=\"ESI/1.0\""));
    }

    [Fact]
    public void SurrogateControl_QuotedContentWithSemicolonsAndCommas_DoesNotSplit()
    {
        var selected = Surrogate("content=\"ESI/1.0;a, max-age=9\", max-age=5")!;

        Assert.Equal(TimeSpan.FromSeconds(5), selected.MaxAge);
    }

    // --- property tests -------------------------------------------------------------------------------

    private static readonly Gen<string> DictionaryishStrings =
        Gen.Elements("max-age", "no-store", "private", "no-cache", "=", ",", ";", " ", "\t", "\"", "\\", "(", ")", "?0", "?1", ":", "*",
                "-1", "0", "60", "1.5", "1234567890123456", "abc", "Max", "+", "/", "\u00e9", "\0")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    [Fact]
    public void Select_AnyFieldValues_NeverThrows()
    {
        var values = Gen.OneOf(DictionaryishStrings, ArbMap.Default.ArbFor<string>().Generator).ArrayOf();
        var cases = Gen.Zip(values, values).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            TargetedCacheControl.Select(new StringValues(c.Item1), new StringValues(c.Item2), DeviceToken);
            TargetedCacheControl.Select(new StringValues(c.Item1), new StringValues(c.Item2));
            return true;
        }).Holds();
    }

    [Fact]
    public void CdnMaxAge_AnyNonNegativeInteger_IsExactlyThatLifetime()
    {
        var values = Gen.OneOf(Gen.Choose(0, int.MaxValue), Gen.Elements(0, 1, int.MaxValue)).ToArbitrary();

        Prop.ForAll(values, n =>
        {
            var text = n.ToString(CultureInfo.InvariantCulture);
            var selected = TargetedCacheControl.Select($"public, max-age={text};p=1", StringValues.Empty);
            var surrogate = TargetedCacheControl.Select(StringValues.Empty, $"max-age={text}");
            return (selected?.MaxAge == TimeSpan.FromSeconds(n) && surrogate?.MaxAge == TimeSpan.FromSeconds(n))
                .Label($"max-age={text} → {selected?.MaxAge} / {surrogate?.MaxAge}");
        }).Holds();
    }
}
