using CdnPlatform.Http.Vary;
using CdnPlatform.Testing;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9110 §12.5.5 Vary and RFC 9111 §4.1 secondary keys (http-cache-tests vary, vary-parse).</summary>
public sealed class VaryTests
{
    private static Func<string, StringValues> Request(params (string Name, string Value)[] fields) => name =>
    {
        var lines = fields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToArray();
        return lines.Length == 0 ? StringValues.Empty : new StringValues(lines);
    };

    private static string Key(string vary, params (string, string)[] request) => VaryKey.Compute(VaryFields.Parse(vary), Request(request));

    // --- VaryFields -----------------------------------------------------------------------------------

    [Fact]
    public void Parse_Names_AreLowercasedDistinctAndInOrder()
    {
        var fields = VaryFields.Parse(new StringValues(["Foo, Accept-Encoding", "foo,  BAR ,,"]));

        Assert.Equal(["foo", "accept-encoding", "bar"], fields.Names);
        Assert.False(fields.IsStar);
        Assert.False(fields.IsEmpty);
    }

    [Theory]
    [InlineData("*")] // vary-syntax-star
    [InlineData("*, *")] // vary-syntax-star-star
    [InlineData(", *")] // vary-syntax-empty-star
    [InlineData("*, Foo")] // vary-syntax-star-foo
    [InlineData("Foo, *")] // vary-syntax-foo-star
    [InlineData(" * ")]
    public void Parse_StarAnywhere_IsStar(string vary)
    {
        Assert.True(VaryFields.Parse(vary).IsStar);
    }

    [Theory]
    [InlineData("*", "*")] // vary-syntax-star-star-lines
    [InlineData("", "*")] // vary-syntax-empty-star-lines
    [InlineData("Foo", "*")]
    public void Parse_StarOnAnyLine_IsStar(string first, string second)
    {
        Assert.True(VaryFields.Parse(new StringValues([first, second])).IsStar);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ,")]
    public void Parse_NoNames_IsEmpty(string? vary)
    {
        var fields = VaryFields.Parse(vary);

        Assert.True(fields.IsEmpty);
        Assert.Empty(fields.Names);
    }

    [Fact]
    public void Parse_QuotedStarOrName_IsNotStar()
    {
        Assert.False(VaryFields.Parse("\"*\"").IsStar);
    }

    // --- VaryKey: http-cache-tests vary ---------------------------------------------------------------

    [Fact]
    public void SameSelectingField_SameKey() // vary-match
    {
        Assert.Equal(Key("Foo", ("Foo", "1")), Key("Foo", ("Foo", "1")));
    }

    [Fact]
    public void DifferentSelectingField_DifferentKey() // vary-no-match
    {
        Assert.NotEqual(Key("Foo", ("Foo", "1")), Key("Foo", ("Foo", "2")));
    }

    [Fact]
    public void AbsentSelectingField_DiffersFromAnyValue() // vary-omit-stored, vary-omit
    {
        Assert.NotEqual(Key("Foo"), Key("Foo", ("Foo", "1")));
        Assert.NotEqual(Key("Foo"), Key("Foo", ("Foo", "")));
    }

    [Fact]
    public void FieldsNotListedInVary_DoNotMatter() // vary-cache-key
    {
        Assert.Equal(Key("Foo", ("Foo", "1"), ("Other", "2")), Key("Foo", ("Foo", "1"), ("Other", "3")));
    }

    [Fact]
    public void TwoAndThreeFields_MatchOnlyWhenAllMatch() // vary-2-match, -2-no-match, -2-match-omit, vary-3-*
    {
        Assert.Equal(Key("Foo, Bar", ("Foo", "1"), ("Bar", "abc")), Key("Foo, Bar", ("Bar", "abc"), ("Foo", "1")));
        Assert.NotEqual(Key("Foo, Bar", ("Foo", "1"), ("Bar", "abc")), Key("Foo, Bar", ("Foo", "2"), ("Bar", "abc")));
        Assert.NotEqual(Key("Foo, Bar", ("Foo", "1")), Key("Foo, Bar", ("Foo", "1"), ("Bar", "abc")));
        Assert.NotEqual(Key("Foo, Bar, Baz", ("Foo", "1"), ("Bar", "abc4"), ("Baz", "789")),
            Key("Foo, Bar, Baz", ("Foo", "1"), ("Bar", "abc"), ("Baz", "789")));
    }

    [Fact]
    public void FieldOmittedByBothRequests_Matches() // vary-3-omit
    {
        Assert.Equal(Key("Foo, Bar, Baz", ("Foo", "1"), ("Baz", "789")), Key("Foo, Bar, Baz", ("Foo", "1"), ("Baz", "789")));
    }

    [Fact]
    public void FieldLines_AreCombined() // vary-normalise-combine
    {
        Assert.Equal(Key("Foo", ("Foo", "1, 2")), Key("Foo", ("Foo", "1"), ("Foo", "2")));
    }

    [Fact]
    public void WhitespaceAroundCommas_IsIgnored() // vary-normalise-space
    {
        Assert.Equal(Key("Foo", ("Foo", "1,2")), Key("Foo", ("Foo", " 1, 2 ")));
    }

    [Fact]
    public void CaseOfOtherFields_IsKept()
    {
        // Unknown fields may be case-sensitive; only their list syntax is normalised.
        Assert.NotEqual(Key("Foo", ("Foo", "a")), Key("Foo", ("Foo", "A")));
    }

    [Fact]
    public void QuotedCommas_AreNotListSeparators()
    {
        Assert.NotEqual(Key("Foo", ("Foo", "\"a, b\"")), Key("Foo", ("Foo", "\"a,b\"")));
    }

    [Fact]
    public void AcceptLanguage_CaseIsIgnored() // vary-normalise-lang-case
    {
        Assert.Equal(Key("Accept-Language", ("Accept-Language", "en, de")), Key("Accept-Language", ("Accept-Language", "eN, De")));
    }

    [Fact]
    public void AcceptLanguage_WhitespaceIsIgnored() // vary-normalise-lang-space
    {
        Assert.Equal(Key("Accept-Language", ("Accept-Language", "en, de")), Key("Accept-Language", ("Accept-Language", " en ,   de")));
    }

    [Fact]
    public void AcceptLanguage_OrderOfEqualWeights_IsKept() // vary-normalise-lang-order (optimal; not met on purpose)
    {
        // RFC 4647 lookup breaks ties by list order, so "en, de" and "de, en" can pick different languages.
        Assert.NotEqual(Key("Accept-Language", ("Accept-Language", "en, de")), Key("Accept-Language", ("Accept-Language", "de, en")));
    }

    [Fact]
    public void AcceptLanguage_IsOrderedByWeight()
    {
        Assert.Equal(Key("Accept-Language", ("Accept-Language", "fr;q=0.5, de")), Key("Accept-Language", ("Accept-Language", "de, fr;q=0.5")));
        Assert.Equal(Key("Accept-Language", ("Accept-Language", "de;q=1.0, fr;q=0.50")), Key("Accept-Language", ("Accept-Language", "de, fr ; Q=0.5")));
    }

    [Fact]
    public void AcceptLanguage_OtherPreferences_DoNotMatch() // vary-normalise-lang-select (optimal; negotiation, not normalisation)
    {
        Assert.NotEqual(Key("Accept-Language", ("Accept-Language", "en, de")), Key("Accept-Language", ("Accept-Language", "fr;q=0.5, de;q=1.0")));
    }

    [Fact]
    public void AcceptEncoding_OrderCaseAndAliases_AreIgnored()
    {
        var expected = Key("Accept-Encoding", ("Accept-Encoding", "br, gzip"));

        Assert.Equal(expected, Key("Accept-Encoding", ("Accept-Encoding", "gzip, br")));
        Assert.Equal(expected, Key("Accept-Encoding", ("Accept-Encoding", "GZIP,BR")));
        Assert.Equal(expected, Key("Accept-Encoding", ("Accept-Encoding", "x-gzip;q=1.000, br")));
        Assert.Equal(expected, Key("Accept-Encoding", ("Accept-Encoding", "gzip"), ("Accept-Encoding", "br")));
    }

    [Fact]
    public void AcceptEncoding_Weights_AreKept()
    {
        Assert.Equal(Key("Accept-Encoding", ("Accept-Encoding", "gzip;q=0.5")), Key("Accept-Encoding", ("Accept-Encoding", "gzip;q=0.500")));
        Assert.NotEqual(Key("Accept-Encoding", ("Accept-Encoding", "gzip;q=0.5")), Key("Accept-Encoding", ("Accept-Encoding", "gzip")));
        Assert.NotEqual(Key("Accept-Encoding", ("Accept-Encoding", "gzip;q=0")), Key("Accept-Encoding", ("Accept-Encoding", "gzip")));
    }

    [Fact]
    public void AcceptEncoding_IdentityIsNotTheSameAsAbsent()
    {
        // RFC 9110 §12.5.3: no Accept-Encoding means any coding is acceptable; "identity" asks for none.
        Assert.NotEqual(Key("Accept-Encoding"), Key("Accept-Encoding", ("Accept-Encoding", "identity")));
    }

    [Fact]
    public void AcceptEncoding_WithOtherParameters_FallsBackToTheGeneralRule()
    {
        Assert.Equal(Key("Accept-Encoding", ("Accept-Encoding", "gzip;level=1, br")), Key("Accept-Encoding", ("Accept-Encoding", "GZIP;level=1 ,br")));
    }

    [Fact]
    public void DifferentVarySets_NeverShareAKey()
    {
        Assert.NotEqual(Key("A", ("A", "x")), Key("B", ("B", "x")));
        Assert.NotEqual(Key("A, B", ("A", "x")), Key("A", ("A", "x")));
        Assert.NotEqual(Key("A, B", ("A", "1"), ("B", "2")), Key("A, B", ("A", "1=2:b"), ("B", "")));
    }

    [Fact]
    public void NoVary_IsTheEmptyKey()
    {
        Assert.Equal("", VaryKey.Compute(VaryFields.None, _ => "x"));
    }

    [Fact]
    public void LongValues_AreKeyedWhole()
    {
        var longValue = new string('a', 5000);

        Assert.NotEqual(Key("Foo", ("Foo", longValue)), Key("Foo", ("Foo", longValue + "b")));
        Assert.Equal(Key("Foo", ("Foo", longValue + ", b")), Key("Foo", ("Foo", longValue + ",b")));
    }

    [Fact]
    public void ManyAcceptLanguageRanges_AreHandled()
    {
        var ranges = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"l{i};q=0.{i % 10}"));

        Assert.Equal(Key("Accept-Language", ("Accept-Language", ranges)), Key("Accept-Language", ("Accept-Language", ranges.Replace(" ", ""))));
    }

    [Fact]
    public void Compute_AllocatesOnlyTheKey()
    {
        // A lookup computes this per request: normalisation works in stack and pooled buffers.
        var fields = VaryFields.Parse("Accept-Encoding, Accept-Language, Foo");
        StringValues acceptEncoding = "gzip, deflate, br;q=0.9", acceptLanguage = "de-DE, en;q=0.8", foo = new(["1", " 2 "]);
        Func<string, StringValues> request = name => name switch
        {
            "accept-encoding" => acceptEncoding,
            "accept-language" => acceptLanguage,
            _ => foo,
        };
        var key = VaryKey.Compute(fields, request);

        var allocated = SteadyAllocation.PerCall(() => VaryKey.Compute(fields, request));

        Assert.InRange(allocated, 1, 32 + 2 * key.Length);
    }

    // --- property tests -------------------------------------------------------------------------------

    private static readonly Gen<string> FieldishStrings =
        Gen.Elements("en", "de", "gzip", "br", "x-gzip", "identity", "*", ";", "q=", "0.5", "1", ",", " ", "\t", "\"", "\\", "=", "A", "\u00e9")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    private static readonly string[] Names = ["accept-language", "accept-encoding", "foo"];

    [Fact]
    public void ParseAndCompute_AnyInput_NeverThrow()
    {
        var values = Gen.OneOf(FieldishStrings, ArbMap.Default.ArbFor<string>().Generator).ArrayOf();
        var cases = Gen.Zip(values, values).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var fields = VaryFields.Parse(new StringValues(c.Item1));
            VaryKey.Compute(fields, _ => new StringValues(c.Item2));
            VaryKey.Compute(VaryFields.Parse(string.Join(",", Names)), _ => new StringValues(c.Item2));
            return true;
        }).Holds();
    }

    [Fact]
    public void Compute_WhitespaceAroundListCommas_NeverChangesTheKey()
    {
        var members = Gen.Elements("en", "de-DE", "gzip", "br;q=0.5", "fr;q=0", "x").NonEmptyListOf().Select(l => l.ToArray());
        var spacing = Gen.Elements("", " ", "\t", "  ");
        var cases = Gen.Zip(Gen.Zip(members, Gen.Elements(Names)), Gen.Zip(spacing, spacing)).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var ((parts, name), (before, after)) = c;
            var tight = string.Join(",", parts);
            var loose = before + string.Join($"{before},{after}", parts) + after;
            var fields = VaryFields.Parse(name);
            return (VaryKey.Compute(fields, _ => tight) == VaryKey.Compute(fields, _ => loose)).Label($"{name}: '{tight}' vs '{loose}'");
        }).Holds();
    }

    [Fact]
    public void Compute_DifferentPlainValues_GiveDifferentKeys()
    {
        var token = Gen.Elements("a", "b", "c", "1", "-").NonEmptyListOf().Select(p => string.Concat(p));
        var cases = Gen.Zip(token, token).Where(c => c.Item1 != c.Item2).ToArbitrary();

        Prop.ForAll(cases, c => Key("Foo", ("Foo", c.Item1)) != Key("Foo", ("Foo", c.Item2))).Holds();
    }

    [Fact]
    public void Parse_AnyListOfNames_GivesThemLowercasedOnceInOrder()
    {
        var names = Gen.Elements("Foo", "foo", "Accept-Encoding", "X-A", "bar", "BAR").ListOf().ToArbitrary();

        Prop.ForAll(names, n =>
        {
            var parsed = VaryFields.Parse(new StringValues([string.Join(" ,", n), ""]));
            var expected = n.Select(x => x.ToLowerInvariant()).Distinct().ToArray();
            return (parsed.Names.SequenceEqual(expected) && !parsed.IsStar && parsed.IsEmpty == (expected.Length == 0))
                .Label($"{string.Join("|", n)} → {parsed}");
        }).Holds();
    }

    [Fact]
    public void Matches_AgreesWithComparingComputedKeys()
    {
        // The lookup matches variants without building keys; it must say what comparing the keys would.
        var values = Gen.OneOf(FieldishStrings, ArbMap.Default.ArbFor<string>().Generator).ArrayOf();
        var cases = Gen.Zip(Gen.Zip(Gen.Elements(Names).NonEmptyListOf(), values), values).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var ((names, stored), asked) = c;
            var fields = VaryFields.Parse(string.Join(", ", names));
            var variantKey = VaryKey.Compute(fields, _ => new StringValues(stored));
            var expected = VaryKey.Compute(fields, _ => new StringValues(asked)) == variantKey;
            return (VaryKey.Matches(fields, variantKey, asked, static (_, a) => new StringValues(a)) == expected)
                && VaryKey.Matches(fields, variantKey, stored, static (_, s) => new StringValues(s));
        }).Holds();
    }

    [Fact]
    public void Matches_NoVary_MatchesOnlyTheEmptyKey()
    {
        Assert.True(VaryKey.Matches(VaryFields.None, "", 0, static (_, _) => "x"));
        Assert.False(VaryKey.Matches(VaryFields.None, "5:accept!", 0, static (_, _) => "x"));
    }

    [Fact]
    public void Matches_AllocatesNothing()
    {
        var fields = VaryFields.Parse("Accept-Encoding, Accept-Language");
        var headers = new Dictionary<string, StringValues> { ["accept-encoding"] = "gzip, br", ["accept-language"] = "de-DE, en;q=0.8" };
        var variantKey = VaryKey.Compute(fields, name => headers[name]);
        Assert.True(VaryKey.Matches(fields, variantKey, headers, static (name, h) => h[name]));

        var allocated = SteadyAllocation.PerCall(() => VaryKey.Matches(fields, variantKey, headers, static (name, h) => h[name]));

        Assert.Equal(0, allocated);
    }
}
