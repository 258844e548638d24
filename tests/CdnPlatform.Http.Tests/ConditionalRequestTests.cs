using CdnPlatform.Http.Conditionals;
using CdnPlatform.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>
/// RFC 9110 §8.8.3 entity-tags and §13.1.2-3 conditionals, answered from a stored response (RFC 9111 §4.3.2;
/// http-cache-tests conditional-etag, conditional-lm).
/// </summary>
public sealed class ConditionalRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string At(int seconds) => HttpDate.Format(Now.AddSeconds(seconds));

    private static bool ByETag(string ifNoneMatch, string? storedETag) =>
        ConditionalRequest.IsNotModified(ifNoneMatch, StringValues.Empty, storedETag, null, null);

    private static bool ByDate(StringValues ifModifiedSince, string? lastModified, string? date = null) =>
        ConditionalRequest.IsNotModified(StringValues.Empty, ifModifiedSince, null, lastModified, date);

    // --- EntityTag ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("\"xyzzy\"", "xyzzy", false)]
    [InlineData("W/\"xyzzy\"", "xyzzy", true)]
    [InlineData("\"\"", "", false)]
    [InlineData(" \"a,b\" ", "a,b", false)]
    [InlineData("\"abcdef\u00fc\"", "abcdef\u00fc", false)]
    public void TryParse_WellFormed_IsRead(string value, string opaque, bool weak)
    {
        Assert.True(EntityTag.TryParse(value, out var tag));
        Assert.Equal(new EntityTag(opaque, weak), tag);
    }

    [Theory]
    [InlineData("abcdef")]
    [InlineData("w/\"abcdef\"")]
    [InlineData("W\\\"abcdef\"")]
    [InlineData("W\"abcdef\"")]
    [InlineData("\"ab\"cd\"")]
    [InlineData("\"abc")]
    [InlineData("")]
    [InlineData("W/abc")]
    public void TryParse_Malformed_IsRejectedByDefault(string value)
    {
        Assert.False(EntityTag.TryParse(value, out _));
    }

    [Theory]
    [InlineData("abcdef", "abcdef", false)]
    [InlineData("w/\"abcdef\"", "abcdef", true)]
    [InlineData("W\\\"abcdef\"", "abcdef", true)]
    [InlineData("W\"abcdef\"", "abcdef", true)]
    public void TryParse_Tolerant_ReadsTheFormsSeenInTheWild(string value, string opaque, bool weak)
    {
        Assert.True(EntityTag.TryParse(value, out var tag, tolerateMalformed: true));
        Assert.Equal(new EntityTag(opaque, weak), tag);
    }

    // RFC 9110 §8.8.3.2's table.
    [Theory]
    [InlineData("W/\"1\"", "W/\"1\"", false, true)]
    [InlineData("W/\"1\"", "W/\"2\"", false, false)]
    [InlineData("W/\"1\"", "\"1\"", false, true)]
    [InlineData("\"1\"", "\"1\"", true, true)]
    public void Comparison_FollowsRfc9110(string a, string b, bool strong, bool weak)
    {
        Assert.True(EntityTag.TryParse(a, out var first));
        Assert.True(EntityTag.TryParse(b, out var second));
        Assert.Equal(strong, first.StrongEquals(second));
        Assert.Equal(weak, first.WeakEquals(second));
    }

    [Fact]
    public void ToString_QuotesAnUnquotedStoredTag() // conditional-etag-strong-generate-unquoted (check)
    {
        Assert.True(EntityTag.TryParse("abcdef", out var tag, tolerateMalformed: true));
        Assert.Equal("\"abcdef\"", tag.ToString());
        Assert.Equal("W/\"x\"", new EntityTag("x", true).ToString());
    }

    // --- EntityTagList --------------------------------------------------------------------------------

    [Fact]
    public void List_MembersAcrossLines_AreRead()
    {
        var list = EntityTagList.Parse(new StringValues(["\"a\", W/\"b\"", "\"c,d\""]));

        Assert.False(list.IsAny);
        Assert.Equal([new EntityTag("a", false), new EntityTag("b", true), new EntityTag("c,d", false)], list.Tags);
    }

    [Fact]
    public void List_Star_IsAny()
    {
        Assert.True(EntityTagList.Parse(" * ").IsAny);
        Assert.False(EntityTagList.Parse("*, \"a\"").IsAny);
    }

    // --- If-None-Match (conditional-etag) ---------------------------------------------------------------

    [Fact]
    public void IfNoneMatch_MatchingStrongETag_IsNotModified() // conditional-etag-strong-respond, conditional-304-etag
    {
        Assert.True(ByETag("\"abcdef\"", "\"abcdef\""));
    }

    [Fact]
    public void IfNoneMatch_MatchingWeakETag_IsNotModified() // conditional-etag-weak-respond
    {
        Assert.True(ByETag("W/\"abcdef\"", "W/\"abcdef\""));
        Assert.True(ByETag("\"abcdef\"", "W/\"abcdef\""));
    }

    [Theory]
    [InlineData("\"abcdef\", \"1234\", \"5678\"")] // conditional-etag-strong-respond-multiple-first
    [InlineData("\"1234\", \"abcdef\", \"5678\"")] // -multiple-second
    [InlineData("\"1234\", \"5678\", \"abcdef\"")] // -multiple-last
    public void IfNoneMatch_ListContainingTheETag_IsNotModified(string ifNoneMatch)
    {
        Assert.True(ByETag(ifNoneMatch, "\"abcdef\""));
    }

    [Theory]
    [InlineData("\"abcdef\u00fc\"", "\"abcdef\u00fc\"")] // conditional-etag-strong-respond-obs-text (check)
    [InlineData("abcdef", "\"abcdef\"")] // conditional-etag-quoted-respond-unquoted (check)
    [InlineData("abcdef", "abcdef")] // conditional-etag-unquoted-respond-unquoted (check)
    [InlineData("\"abcdef\"", "abcdef")] // conditional-etag-unquoted-respond-quoted (check)
    [InlineData("w/\"abcdef\"", "w/\"abcdef\"")] // conditional-etag-weak-respond-lowercase (check)
    [InlineData("W\\\"abcdef\"", "W\\\"abcdef\"")] // conditional-etag-weak-respond-backslash (check)
    [InlineData("W\"abcdef\"", "W\"abcdef\"")] // conditional-etag-weak-respond-omit-slash (check)
    public void IfNoneMatch_ToleratedForms_Match(string ifNoneMatch, string storedETag)
    {
        Assert.True(ByETag(ifNoneMatch, storedETag));
    }

    [Theory]
    [InlineData("\"other\"")]
    [InlineData("\"ABCDEF\"")]
    [InlineData("")]
    [InlineData("junk here")]
    public void IfNoneMatch_NotMatching_IsModified(string ifNoneMatch)
    {
        Assert.False(ByETag(ifNoneMatch, "\"abcdef\""));
    }

    [Fact]
    public void IfNoneMatch_Star_IsNotModifiedForAnyStoredResponse()
    {
        Assert.True(ByETag("*", null));
    }

    [Fact]
    public void IfNoneMatch_WithoutAStoredETag_IsModified()
    {
        Assert.False(ByETag("\"abcdef\"", null));
    }

    [Fact]
    public void IfNoneMatch_TakesPrecedenceOverIfModifiedSince() // conditional-etag-precedence
    {
        // The If-Modified-Since alone would say "modified" (it is before Last-Modified).
        Assert.True(ConditionalRequest.IsNotModified("\"abcdef\"", At(-5001), "\"abcdef\"", At(-5000), At(0)));
        // And when If-None-Match does not match, a matching If-Modified-Since is ignored (RFC 9110 §13.1.3).
        Assert.False(ConditionalRequest.IsNotModified("\"other\"", At(0), "\"abcdef\"", At(-5000), At(0)));
    }

    // --- If-Modified-Since (conditional-lm) ------------------------------------------------------------

    [Fact]
    public void IfModifiedSince_EqualToLastModified_IsNotModified() // conditional-lm-fresh
    {
        Assert.True(ByDate(At(-3000), At(-3000)));
    }

    [Fact]
    public void IfModifiedSince_AfterLastModified_IsNotModified() // conditional-lm-fresh-earlier
    {
        Assert.True(ByDate(At(-2000), At(-3000)));
    }

    [Fact]
    public void IfModifiedSince_BeforeLastModified_IsModified()
    {
        Assert.False(ByDate(At(-4000), At(-3000)));
    }

    [Fact]
    public void IfModifiedSince_InRfc850Form_IsRead() // conditional-lm-fresh-rfc850
    {
        var rfc850 = Now.AddSeconds(-3000).UtcDateTime.ToString("dddd, dd-MMM-yy HH:mm:ss 'GMT'", System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(ByDate(rfc850, At(-3000)));
    }

    [Fact]
    public void IfModifiedSince_WithoutLastModified_ComparesTheStoredDate()
    {
        Assert.True(ByDate(At(0), null, At(0)));
        Assert.True(ByDate(At(10), null, At(0)));
    }

    [Fact]
    public void IfModifiedSince_BeforeTheStoredDate_WithoutLastModified_IsModified() // conditional-lm-fresh-no-lm (optimal; RFC wins)
    {
        // RFC 9111 §4.3.2 evaluates against Date when there is no Last-Modified; a Date 3000 s after the
        // If-Modified-Since means the response may have changed since, so no 304 (the suite expects one).
        Assert.False(ByDate(At(-3000), null, At(0)));
    }

    [Fact]
    public void IfModifiedSince_WithNeitherLastModifiedNorDate_UsesTheResponseTime()
    {
        Assert.True(ConditionalRequest.IsNotModified(StringValues.Empty, At(0), null, null, null, Now.AddMilliseconds(400)));
        Assert.False(ConditionalRequest.IsNotModified(StringValues.Empty, At(-1), null, null, null, Now));
        Assert.False(ConditionalRequest.IsNotModified(StringValues.Empty, At(0), null, null, null));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("0")]
    public void IfModifiedSince_Invalid_IsIgnored(string ifModifiedSince)
    {
        Assert.False(ByDate(ifModifiedSince, At(-3000)));
    }

    [Fact]
    public void IfModifiedSince_OnTwoLines_IsIgnored()
    {
        Assert.False(ByDate(new StringValues([At(0), At(0)]), At(-3000)));
    }

    [Fact]
    public void NoConditionals_AreNotANotModified()
    {
        Assert.False(ConditionalRequest.IsNotModified(StringValues.Empty, StringValues.Empty, "\"a\"", At(0), At(0)));
    }

    // --- property tests -------------------------------------------------------------------------------

    private static readonly Gen<string> TagishStrings =
        Gen.Elements("W/", "w/", "W", "\\", "\"", "abc", ",", " ", "*", "\u00fc", "\t", "\0", "/")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    [Fact]
    public void Parsing_AnyInput_NeverThrows()
    {
        var values = Gen.OneOf(TagishStrings, ArbMap.Default.ArbFor<string>().Generator);
        var cases = Gen.Zip(values.ArrayOf(), Gen.Zip(values, values)).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var (lines, (single, stored)) = c;
            EntityTag.TryParse(single, out _);
            EntityTag.TryParse(single, out _, tolerateMalformed: true);
            EntityTagList.Parse(new StringValues(lines));
            ConditionalRequest.IsNotModified(new StringValues(lines), new StringValues(lines), stored, stored, stored, Now);
            ConditionalRequest.IsNotModified(StringValues.Empty, single, stored, stored, stored);
            return true;
        }).Holds();
    }

    [Fact]
    public void ToStringThenTryParse_RoundTrips()
    {
        var opaque = Gen.Elements("a", "Z", "0", "-", "/", "\u00fc", "!", "#", ",", "W").ArrayOf().Select(p => string.Concat(p));
        var tags = Gen.Zip(opaque, ArbMap.Default.ArbFor<bool>().Generator).Select(t => new EntityTag(t.Item1, t.Item2)).ToArbitrary();

        Prop.ForAll(tags, tag => EntityTag.TryParse(tag.ToString(), out var back) && back == tag).Holds();
    }

    [Fact]
    public void IfNoneMatch_ContainingTheStoredTag_AlwaysMatches()
    {
        var opaque = Gen.Elements("a", "b", "1", "-").NonEmptyListOf().Select(p => string.Concat(p));
        var cases = Gen.Zip(opaque, opaque.ListOf()).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var (stored, others) = c;
            var listed = others.Select(o => $"\"{o}\"").Append($"W/\"{stored}\"").Reverse();
            return ByETag(string.Join(", ", listed), $"\"{stored}\"");
        }).Holds();
    }
}
