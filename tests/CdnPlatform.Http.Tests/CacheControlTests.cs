using System.Globalization;
using CdnPlatform.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §5.2 Cache-Control parsing (with §1.2.2 delta-seconds and §4.2.1 on invalid values).</summary>
public sealed class CacheControlTests
{
    private static CacheControl Parse(params string?[] lines) => CacheControl.Parse(new StringValues(lines));

    private static readonly Dictionary<string, Func<CacheControl, bool>> Flags = new()
    {
        ["no-store"] = c => c.NoStore,
        ["no-cache"] = c => c.NoCache,
        ["private"] = c => c.Private,
        ["public"] = c => c.Public,
        ["must-revalidate"] = c => c.MustRevalidate,
        ["proxy-revalidate"] = c => c.ProxyRevalidate,
        ["must-understand"] = c => c.MustUnderstand,
        ["no-transform"] = c => c.NoTransform,
        ["immutable"] = c => c.Immutable,
        ["only-if-cached"] = c => c.OnlyIfCached,
    };

    private static readonly Dictionary<string, Func<CacheControl, TimeSpan?>> Deltas = new()
    {
        ["max-age"] = c => c.MaxAge,
        ["s-maxage"] = c => c.SharedMaxAge,
        ["stale-while-revalidate"] = c => c.StaleWhileRevalidate,
        ["stale-if-error"] = c => c.StaleIfError,
        ["min-fresh"] = c => c.MinFresh,
        ["max-stale"] = c => c.MaxStale,
    };

    public static TheoryData<string> FlagDirectives => new(Flags.Keys);

    public static TheoryData<string> DeltaDirectives => new(Deltas.Keys);

    [Fact]
    public void Parse_NoFieldLines_HasNoDirectives()
    {
        var parsed = CacheControl.Parse(StringValues.Empty);

        Assert.All(Flags.Values, flag => Assert.False(flag(parsed)));
        Assert.All(Deltas.Values, delta => Assert.Null(delta(parsed)));
        Assert.False(parsed.HasConflicts);
    }

    [Theory]
    [MemberData(nameof(FlagDirectives))]
    public void FlagDirective_Present_SetsOnlyItsOwnFlag(string directive)
    {
        var parsed = Parse(directive);

        foreach (var (name, flag) in Flags)
        {
            Assert.Equal(name == directive, flag(parsed));
        }
        Assert.False(parsed.HasConflicts);
    }

    [Theory]
    [MemberData(nameof(DeltaDirectives))]
    public void DeltaDirective_WithValue_SetsOnlyItsOwnDelta(string directive)
    {
        var parsed = Parse($"{directive}=123");

        foreach (var (name, delta) in Deltas)
        {
            Assert.Equal(name == directive ? TimeSpan.FromSeconds(123) : null, delta(parsed));
        }
        Assert.False(parsed.HasConflicts);
    }

    [Theory]
    [MemberData(nameof(FlagDirectives))]
    public void FlagDirective_NameInUpperOrMixedCase_IsRecognised(string directive)
    {
        Assert.True(Flags[directive](Parse(directive.ToUpperInvariant())));
        Assert.True(Flags[directive](Parse(char.ToUpperInvariant(directive[0]) + directive[1..])));
    }

    [Theory]
    [InlineData("MAX-AGE=60")]
    [InlineData("Max-Age=60")]
    [InlineData("mAx-AgE=60")]
    public void MaxAge_NameInAnyCase_IsRecognised(string field)
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Parse(field).MaxAge);
    }

    [Fact]
    public void SeveralDirectives_OnOneLine_AreAllRead()
    {
        var parsed = Parse("public, max-age=60, s-maxage=120, must-revalidate");

        Assert.True(parsed.Public);
        Assert.True(parsed.MustRevalidate);
        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(120), parsed.SharedMaxAge);
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void MultipleFieldLines_AreCombinedAsOneList()
    {
        var parsed = Parse("public", "max-age=60", "no-transform, s-maxage=5");

        Assert.True(parsed.Public);
        Assert.True(parsed.NoTransform);
        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(5), parsed.SharedMaxAge);
    }

    [Fact]
    public void NullFieldLine_AmongOthers_IsSkipped()
    {
        var parsed = Parse(null, "max-age=60", null);

        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void MaxAge_QuotedValue_IsAccepted()
    {
        var parsed = Parse("max-age=\"60\"");

        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void QuotedValue_WithQuotedPair_IsUnescaped()
    {
        Assert.Equal(["x-a\"b"], Parse("no-cache=\"x-a\\\"b\"").NoCacheFields);
    }

    [Fact]
    public void QuotedValue_ContainingCommaAndDirectiveLikeText_DoesNotSplitTheList()
    {
        var parsed = Parse("ext=\"a, max-age=5, no-store\", max-age=60");

        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.False(parsed.NoStore);
        Assert.False(parsed.HasConflicts);
    }

    [Theory]
    [InlineData(" max-age=60 ")]
    [InlineData("\tmax-age=60\t")]
    [InlineData(",max-age=60")]
    [InlineData("max-age=60,")]
    [InlineData(", ,max-age=60 ,,\t, ")]
    [InlineData("public ,  , max-age=60")]
    public void WhitespaceAndEmptyListElements_AreTolerated(string field)
    {
        var parsed = Parse(field);

        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.False(parsed.HasConflicts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",,,")]
    [InlineData(" , \t ,")]
    public void OnlyEmptyListElements_YieldNoDirectives(string field)
    {
        var parsed = Parse(field);

        Assert.All(Flags.Values, flag => Assert.False(flag(parsed)));
        Assert.All(Deltas.Values, delta => Assert.Null(delta(parsed)));
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void UnknownExtensions_AreIgnored()
    {
        var parsed = Parse("community=\"UCI\", x-foo, x-bar=baz, max-age=60, x-baz=\"q\"");

        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.All(Flags.Values, flag => Assert.False(flag(parsed)));
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void UnknownExtension_WithInvalidDeltaLikeValue_IsNotAConflict()
    {
        Assert.False(Parse("x-max-age=abc, max-age=5").HasConflicts);
    }

    [Fact]
    public void NoCache_Unqualified_HasNoFields()
    {
        var parsed = Parse("no-cache");

        Assert.True(parsed.NoCache);
        Assert.Empty(parsed.NoCacheFields);
    }

    [Fact]
    public void NoCache_QualifiedQuotedList_FieldsAreSplitTrimmedAndLowercased()
    {
        var parsed = Parse("no-cache=\"Set-Cookie,  X-Foo \"");

        Assert.True(parsed.NoCache);
        Assert.Equal(["set-cookie", "x-foo"], parsed.NoCacheFields);
    }

    [Fact]
    public void NoCache_QualifiedWithToken_FieldIsLowercased()
    {
        Assert.Equal(["set-cookie"], Parse("no-cache=Set-Cookie").NoCacheFields);
    }

    [Fact]
    public void NoCache_QualifiedTwice_FieldsAccumulate()
    {
        Assert.Equal(["a", "b"], Parse("no-cache=\"a\"", "no-cache=\"B\"").NoCacheFields);
    }

    [Fact]
    public void Private_QualifiedQuotedList_FieldsAreSplitTrimmedAndLowercased()
    {
        var parsed = Parse("private=\"Authorization, X-User\"");

        Assert.True(parsed.Private);
        Assert.Equal(["authorization", "x-user"], parsed.PrivateFields);
    }

    [Fact]
    public void Private_Unqualified_HasNoFields()
    {
        var parsed = Parse("private");

        Assert.True(parsed.Private);
        Assert.Empty(parsed.PrivateFields);
    }

    [Fact]
    public void MaxStale_WithoutValue_IsMaxDelta()
    {
        var parsed = Parse("max-stale");

        Assert.Equal(CacheControl.MaxDelta, parsed.MaxStale);
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void MaxStale_WithValue_IsThatValue()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Parse("max-stale=30").MaxStale);
    }

    [Fact]
    public void MaxDelta_Is2To31Seconds()
    {
        Assert.Equal(2147483648L, (long)CacheControl.MaxDelta.TotalSeconds);
    }

    [Fact]
    public void MaxAge_DuplicatedWithSameValue_IsNotAConflict()
    {
        var parsed = Parse("max-age=60, max-age=60");

        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
        Assert.False(parsed.HasConflicts);
    }

    // RFC 9111 §4.2.1 lets a cache use the first of several values. cache-tests checks
    // freshness-max-age-multiple-directive, -two-fresh-stale-sameline (the first is the fresh one: cached).
    [Theory]
    [InlineData("max-age=3600, max-age=1800", 3600)]
    [InlineData("max-age=1800, max-age=1", 1800)]
    [InlineData("max-age=1, max-age=1800", 1)]
    public void MaxAge_DuplicatedWithDifferentValues_UsesTheFirst(string field, int seconds)
    {
        var parsed = Parse(field);

        Assert.False(parsed.HasConflicts);
        Assert.Equal(TimeSpan.FromSeconds(seconds), parsed.MaxAge);
    }

    // cache-tests checks freshness-max-age-multiple-line, -two-fresh-stale-sepline, -two-stale-fresh-sepline.
    [Theory]
    [InlineData("max-age=3600", "max-age=1800", 3600)]
    [InlineData("max-age=1800", "max-age=1", 1800)]
    [InlineData("max-age=1", "max-age=1800", 1)]
    public void MaxAge_DuplicatedAcrossFieldLines_UsesTheFirst(string first, string second, int seconds)
    {
        var parsed = Parse(first, second);

        Assert.False(parsed.HasConflicts);
        Assert.Equal(TimeSpan.FromSeconds(seconds), parsed.MaxAge);
    }

    [Fact]
    public void SMaxAge_DuplicatedWithDifferentValues_UsesTheFirst()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Parse("s-maxage=1, s-maxage=2").SharedMaxAge);
    }

    [Theory]
    [InlineData("max-age=-1")]
    [InlineData("max-age=abc")]
    [InlineData("max-age=1.5")]
    [InlineData("max-age=+5")]
    [InlineData("max-age=0x10")]
    [InlineData("max-age=")]
    [InlineData("max-age=\"\"")]
    [InlineData("max-age")]
    [InlineData("max-age=60 seconds")]
    [InlineData("max-age=\"60\"x")]
    [InlineData("max-age=\"60")]
    [InlineData("max-age=\"-60\"")]
    public void MaxAge_InvalidValue_MarksConflict(string field)
    {
        Assert.True(Parse(field).HasConflicts);
    }

    [Theory]
    [MemberData(nameof(DeltaDirectives))]
    public void DeltaDirective_NegativeValue_MarksConflict(string directive)
    {
        Assert.True(Parse($"{directive}=-1").HasConflicts);
    }

    [Fact]
    public void MaxAge_InvalidAfterValid_MarksConflictAndKeepsValidValue()
    {
        var parsed = Parse("max-age=60, max-age=oops");

        Assert.True(parsed.HasConflicts);
        Assert.Equal(TimeSpan.FromSeconds(60), parsed.MaxAge);
    }

    [Fact]
    public void MaxAge_Invalid_DoesNotHideOtherDirectives()
    {
        var parsed = Parse("max-age=oops, no-store, s-maxage=10");

        Assert.True(parsed.HasConflicts);
        Assert.True(parsed.NoStore);
        Assert.Equal(TimeSpan.FromSeconds(10), parsed.SharedMaxAge);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("2147483649")]
    [InlineData("9999999999")]
    [InlineData("99999999999999999999999999999999999999999")]
    public void MaxAge_AtOrBeyond2To31_IsCappedAtMaxDelta(string value)
    {
        var parsed = Parse($"max-age={value}");

        Assert.Equal(CacheControl.MaxDelta, parsed.MaxAge);
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void MaxAge_JustBelow2To31_IsKeptExactly()
    {
        Assert.Equal(TimeSpan.FromSeconds(2147483647), Parse("max-age=2147483647").MaxAge);
    }

    [Fact]
    public void MaxAge_LeadingZeros_AreAllowed()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), Parse("max-age=0007").MaxAge);
    }

    [Fact]
    public void MaxAge_Zero_IsZeroNotAbsent()
    {
        Assert.Equal(TimeSpan.Zero, Parse("max-age=0").MaxAge);
    }

    // cache-tests freshness-max-age-ignore-quoted, -rev, -all, -all-rev (required).
    [Theory]
    [InlineData("extension=\"max-age=3600\", max-age=1")]
    [InlineData("max-age=1, extension=\"max-age=3600\"")]
    [InlineData("extension=\"max-age=3600\", max-age=\"1\"")]
    [InlineData("max-age=\"1\", extension=\"max-age=3600\"")]
    public void MaxAge_InAQuotedExtensionValue_IsNotADirective(string field)
    {
        var parsed = Parse(field);

        Assert.Equal(TimeSpan.FromSeconds(1), parsed.MaxAge);
        Assert.False(parsed.HasConflicts);
    }

    [Fact]
    public void MalformedMember_WithAQuotedComma_DoesNotLeakDirectives()
    {
        var parsed = Parse("x y=\"a, no-store, b\", max-age=5");

        Assert.False(parsed.NoStore);
        Assert.Equal(TimeSpan.FromSeconds(5), parsed.MaxAge);
    }

    // cache-tests freshness-max-age-single-quoted (required), and the checks -space-before-equals,
    // -space-after-equals, -decimal-zero, -decimal-five, -a100, -100a: not delta-seconds, so invalid (stale).
    [Theory]
    [InlineData("max-age='3600'")]
    [InlineData("max-age =3600")]
    [InlineData("max-age= 3600")]
    [InlineData("max-age=3600.0")]
    [InlineData("max-age=3600.5")]
    [InlineData("max-age=a3600")]
    [InlineData("max-age=3600a")]
    public void MaxAge_NotDeltaSeconds_MarksConflict(string field)
    {
        Assert.True(Parse(field).HasConflicts);
    }

    [Fact]
    public void MaxAge_LeadingZeros_AreTheSameNumber() // cache-tests freshness-max-age-leading-zero (optimal)
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Parse("max-age=003600").MaxAge);
    }

    [Fact]
    public void FlagDirective_WithWhitespaceBeforeAValue_IsStillSet()
    {
        // A malformed no-store or private still errs on the side of not storing.
        Assert.True(Parse("no-store =1").NoStore);
        Assert.True(Parse("private =\"x\"").Private);
        Assert.Empty(Parse("private =\"x\"").PrivateFields);
    }

    [Fact]
    public void MaxStale_Malformed_IsAConflictNotUnlimited()
    {
        var parsed = Parse("max-stale =5");

        Assert.True(parsed.HasConflicts);
        Assert.NotEqual(CacheControl.MaxDelta, parsed.MaxStale);
    }

    // --- property tests -------------------------------------------------------------------------------

    /// <summary>Strings made of the characters and words the tokenizer cares about, so odd shapes come up often.</summary>
    private static readonly Gen<string> GrammarishStrings =
        Gen.Elements("max-age", "s-maxage", "no-cache", "private", "max-stale", "no-store", "=", ",", " ", "\t", "\"", "\\", "\"\\", "-1",
                "0", "60", "99999999999999999999", "x", "Set-Cookie", "\u00e9", "\r\n", "\0", "==", ",,")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    [Fact]
    public void Parse_AnyString_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), s => CacheControl.Parse(s) is not null)
            .Holds();
    }

    [Fact]
    public void Parse_AnyGrammarLikeString_NeverThrows()
    {
        Prop.ForAll(GrammarishStrings.ToArbitrary(), s => CacheControl.Parse(s) is not null)
            .Holds();
    }

    [Fact]
    public void Parse_AnySetOfFieldLines_NeverThrows()
    {
        var lines = Gen.OneOf(GrammarishStrings, ArbMap.Default.ArbFor<string>().Generator).ArrayOf().ToArbitrary();

        Prop.ForAll(lines, l => CacheControl.Parse(new StringValues(l)) is not null)
            .Holds();
    }

    /// <summary>Ways RFC 9111 §5.2 and RFC 9110 §5.6.1 allow to write <c>max-age=n</c>.</summary>
    private static readonly Func<string, string[]>[] MaxAgeSpellings =
    [
        n => [$"max-age={n}"],
        n => [$"MAX-AGE={n}"],
        n => [$"Max-Age=\"{n}\""],
        n => [$"MAX-AGE=\"{n}\""],
        n => [$"max-age=000{n}"],
        n => [$" , public ,\tmax-age={n} , "],
        n => [$"no-transform,MAX-AGE=\"{n}\",must-revalidate"],
        n => ["public", $"max-age={n}"],
        n => [$"max-age={n}", $"Max-Age=\"{n}\""],
        n => [$"x-ext=\"max-age=1\", max-age={n}"],
    ];

    [Fact]
    public void MaxAge_AnyNonNegativeInt_ParsesToExactlyThatManySeconds()
    {
        var values = Gen.OneOf(
            Gen.Choose(0, int.MaxValue),
            ArbMap.Default.ArbFor<int>().Generator.Select(i => i == int.MinValue ? 0 : Math.Abs(i)),
            Gen.Elements(0, 1, int.MaxValue - 1, int.MaxValue));
        var cases = Gen.Zip(values, Gen.Choose(0, MaxAgeSpellings.Length - 1)).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var (n, spelling) = c;
            var lines = MaxAgeSpellings[spelling](n.ToString(CultureInfo.InvariantCulture));
            var parsed = CacheControl.Parse(new StringValues(lines));
            return (parsed.MaxAge == TimeSpan.FromSeconds(n) && !parsed.HasConflicts)
                .Label($"lines={string.Join(" | ", lines)} → MaxAge={parsed.MaxAge}, conflicts={parsed.HasConflicts}");
        }).Holds();
    }
}
