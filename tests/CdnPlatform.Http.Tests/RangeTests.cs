using CdnPlatform.Http.Headers;
using CdnPlatform.Http.Ranges;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9110 §14 range requests: Range, If-Range, Content-Range (http-cache-tests partial).</summary>
public sealed class RangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string At(int seconds) => HttpDate.Format(Now.AddSeconds(seconds));

    private static IReadOnlyList<ByteRange> Resolve(string range, long length)
    {
        Assert.True(ByteRangeRequest.TryParse(range, out var request), $"'{range}' was ignored");
        return request.Resolve(length);
    }

    // --- Range ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("bytes=0-1", 0L, 2L)] // partial-store-complete-reuse-partial: "01" of "01234567890"
    [InlineData("bytes=1-", 1L, 10L)] // partial-store-complete-reuse-partial-no-last: "1234567890"
    [InlineData("bytes=-1", 10L, 1L)] // partial-store-complete-reuse-partial-suffix: "A" of "0123456789A"
    [InlineData("bytes=-5", 6L, 5L)]
    [InlineData("bytes=0-0", 0L, 1L)]
    [InlineData("bytes=5-100", 5L, 6L)] // last-pos past the end is clipped
    [InlineData("bytes=-100", 0L, 11L)] // a suffix longer than the representation is all of it
    [InlineData("Bytes=0-1", 0L, 2L)] // range units are case-insensitive
    [InlineData(" bytes=0-1 ", 0L, 2L)]
    public void SingleRange_OfAnElevenByteRepresentation(string range, long offset, long length)
    {
        Assert.Equal([new ByteRange(offset, length)], Resolve(range, 11));
    }

    [Fact]
    public void StoredPartial_ServesASmallerRange() // partial-store-partial-reuse-partial-byterange, -absent, -suffix
    {
        // The stored 206 holds "bytes 4-9/10"; a later Range within it can be served from those bytes.
        Assert.True(ContentRange.TryParse("bytes 4-9/10", out var stored));
        foreach (var (range, expected) in new[] { ("bytes=6-8", new ByteRange(6, 3)), ("bytes=6-", new ByteRange(6, 4)), ("bytes=-1", new ByteRange(9, 1)) })
        {
            var resolved = Resolve(range, stored.CompleteLength!.Value);
            Assert.Equal([expected], resolved);
            Assert.True(resolved[0].Offset >= stored.First && resolved[0].Last <= stored.Last);
        }
    }

    [Fact]
    public void StoredPartial_TellsWhereTheRestStarts() // partial-store-partial-complete: the cache asks for "bytes=5-"
    {
        Assert.True(ContentRange.TryParse("bytes 0-4/10", out var stored));
        Assert.Equal(5, stored.Last + 1);
        Assert.Equal(5, stored.Length);
    }

    [Fact]
    public void SeveralRanges_KeepRequestOrder()
    {
        Assert.Equal([new ByteRange(5, 2), new ByteRange(0, 2)], Resolve("bytes=5-6, 0-1", 11));
    }

    [Theory]
    [InlineData("bytes=0-5, 3-9")]
    [InlineData("bytes=3-9,0-5")]
    [InlineData("bytes=0-4, 5-9")] // adjacent
    [InlineData("bytes=0-9, 2-3, 4-5")]
    public void OverlappingOrAdjacentRanges_AreCoalesced(string range)
    {
        Assert.Equal([new ByteRange(0, 10)], Resolve(range, 20));
    }

    [Theory]
    [InlineData("bytes=11-")]
    [InlineData("bytes=20-30")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=11-, -0")]
    public void NothingSatisfiable_IsEmptyForA416(string range)
    {
        Assert.Empty(Resolve(range, 11));
        Assert.Equal("bytes */11", ContentRange.FormatUnsatisfied(11));
    }

    [Fact]
    public void UnsatisfiableRangesAmongOthers_AreDropped()
    {
        Assert.Equal([new ByteRange(0, 2)], Resolve("bytes=50-60, 0-1", 11));
    }

    [Fact]
    public void EmptyRepresentation_HasNothingSatisfiable()
    {
        Assert.Empty(Resolve("bytes=0-", 0));
        Assert.Empty(Resolve("bytes=-5", 0));
    }

    [Fact]
    public void HugePositions_Saturate()
    {
        Assert.Equal([new ByteRange(0, 11)], Resolve("bytes=0-99999999999999999999999999", 11));
        Assert.Empty(Resolve("bytes=99999999999999999999999999-", 11));
    }

    [Theory]
    [InlineData("bytes=5-1")] // last before first
    [InlineData("items=0-1")]
    [InlineData("bytes=")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=1")]
    [InlineData("bytes=--1")]
    [InlineData("bytes=0-1-2")]
    [InlineData("bytes=0 - 1")]
    [InlineData("bytes 0-1")]
    [InlineData("")]
    public void InvalidRange_IsIgnored(string range)
    {
        Assert.False(ByteRangeRequest.TryParse(range, out _));
    }

    [Fact]
    public void AbsentOrRepeatedRange_IsIgnored()
    {
        Assert.False(ByteRangeRequest.TryParse(StringValues.Empty, out _));
        Assert.False(ByteRangeRequest.TryParse(new StringValues(["bytes=0-1", "bytes=2-3"]), out _));
    }

    [Fact]
    public void MoreRangesThanTheCap_AreIgnored()
    {
        string Ranges(int count) => "bytes=" + string.Join(",", Enumerable.Range(0, count).Select(i => $"{i * 10}-{i * 10 + 1}"));

        Assert.True(ByteRangeRequest.TryParse(Ranges(ByteRangeRequest.DefaultMaxRanges), out var atCap));
        Assert.Equal(ByteRangeRequest.DefaultMaxRanges, atCap.Specs.Count);
        Assert.False(ByteRangeRequest.TryParse(Ranges(ByteRangeRequest.DefaultMaxRanges + 1), out _));
        Assert.False(ByteRangeRequest.TryParse(Ranges(3), out _, maxRanges: 2));
    }

    [Fact]
    public void Specs_AreReadAsWritten()
    {
        Assert.True(ByteRangeRequest.TryParse("bytes=0-499, 1000-, -500", out var request));
        Assert.Equal([new ByteRangeSpec(0, 499), new ByteRangeSpec(1000, null), new ByteRangeSpec(null, 500)], request.Specs);
        Assert.True(request.Specs[2].IsSuffix);
    }

    // --- Content-Range --------------------------------------------------------------------------------

    [Fact]
    public void Format_WritesFirstLastAndCompleteLength()
    {
        Assert.Equal("bytes 0-1/11", ContentRange.Format(new ByteRange(0, 2), 11));
        Assert.Equal("bytes 4-9/*", new ContentRange(4, 9, null).ToString());
    }

    [Theory]
    [InlineData("bytes 4-9/10", 4L, 9L, 10L)]
    [InlineData("bytes 0-0/*", 0L, 0L, null)]
    [InlineData("BYTES 1-2/3", 1L, 2L, 3L)]
    public void TryParse_ValidContentRange(string value, long first, long last, long? complete)
    {
        Assert.True(ContentRange.TryParse(value, out var parsed));
        Assert.Equal(new ContentRange(first, last, complete), parsed);
    }

    [Theory]
    [InlineData("bytes 9-4/10")] // last before first
    [InlineData("bytes 4-9/9")] // complete length not past last
    [InlineData("bytes */10")] // unsatisfied-range: no content
    [InlineData("bytes 4-9")]
    [InlineData("items 4-9/10")]
    [InlineData("bytes -4-9/10")]
    [InlineData("bytes 4-9/1x")]
    [InlineData(null)]
    public void TryParse_InvalidContentRange(string? value)
    {
        Assert.False(ContentRange.TryParse(value, out _));
    }

    // --- If-Range -------------------------------------------------------------------------------------

    [Fact]
    public void NoIfRange_AllowsTheRange()
    {
        Assert.True(IfRange.Allows(StringValues.Empty, "\"a\"", At(-10), At(0)));
    }

    [Theory]
    [InlineData("\"abc\"", "\"abc\"", true)]
    [InlineData("\"abc\"", "\"abd\"", false)]
    [InlineData("W/\"abc\"", "W/\"abc\"", false)] // weak tags never match strongly
    [InlineData("\"abc\"", "W/\"abc\"", false)]
    [InlineData("\"abc\"", null, false)]
    public void EntityTagIfRange_NeedsAStrongMatch(string ifRange, string? storedETag, bool allowed)
    {
        Assert.Equal(allowed, IfRange.Allows(ifRange, storedETag, At(-10), At(0)));
    }

    [Fact]
    public void DateIfRange_EqualToAStrongLastModified_AllowsTheRange()
    {
        Assert.True(IfRange.Allows(At(-10), null, At(-10), At(0)));
    }

    [Fact]
    public void DateIfRange_OtherDate_SendsTheWholeRepresentation()
    {
        Assert.False(IfRange.Allows(At(-11), null, At(-10), At(0)));
        Assert.False(IfRange.Allows(At(-9), null, At(-10), At(0)));
    }

    [Fact]
    public void DateIfRange_WeakLastModified_SendsTheWholeRepresentation()
    {
        // Last-Modified is only strong when the stored Date is at least a second later (RFC 9110 §8.8.2.2).
        Assert.False(IfRange.Allows(At(0), null, At(0), At(0)));
        Assert.False(IfRange.Allows(At(-10), null, At(-10)));
    }

    [Theory]
    [InlineData("junk")]
    [InlineData("")]
    public void InvalidIfRange_SendsTheWholeRepresentation(string ifRange)
    {
        Assert.False(IfRange.Allows(ifRange, "\"a\"", At(-10), At(0)));
    }

    [Fact]
    public void IfRangeOnTwoLines_SendsTheWholeRepresentation()
    {
        Assert.False(IfRange.Allows(new StringValues(["\"a\"", "\"a\""]), "\"a\"", At(-10), At(0)));
    }

    // --- property tests -------------------------------------------------------------------------------

    private static readonly Gen<string> RangeishStrings =
        Gen.Elements("bytes=", "bytes", "=", "-", ",", " ", "0", "1", "9", "99999999999999999999", "a", "*", "/", "\t")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    [Fact]
    public void Parsing_AnyInput_NeverThrows()
    {
        var values = Gen.OneOf(RangeishStrings, ArbMap.Default.ArbFor<string>().Generator);
        var cases = Gen.Zip(values.ArrayOf(), Gen.Zip(values, Gen.Choose(0, 1000))).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var (lines, (single, length)) = c;
            if (ByteRangeRequest.TryParse(new StringValues(lines), out var request))
            {
                request.Resolve(length);
            }
            ContentRange.TryParse(single, out _);
            IfRange.Allows(new StringValues(lines), single, single, single);
            return true;
        }).Holds();
    }

    [Fact]
    public void Resolve_AlwaysYieldsNonEmptyRangesInsideTheRepresentation()
    {
        var position = Gen.OneOf(Gen.Choose(0, 120), Gen.Constant(int.MaxValue));
        var spec = Gen.Zip(Gen.Zip(position, position), Gen.Choose(0, 2)).Select(s =>
        {
            var ((a, b), kind) = s;
            return kind switch
            {
                0 => $"{Math.Min(a, b)}-{Math.Max(a, b)}",
                1 => $"{a}-",
                _ => $"-{b}",
            };
        });
        var cases = Gen.Zip(spec.NonEmptyListOf(), Gen.Choose(0, 100)).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var (specs, length) = c;
            var header = "bytes=" + string.Join(", ", specs.Take(ByteRangeRequest.DefaultMaxRanges));
            if (!ByteRangeRequest.TryParse(header, out var request))
            {
                return false.Label($"{header} was not parsed");
            }
            var ranges = request.Resolve(length);
            return ranges.All(r => r.Length > 0 && r.Offset >= 0 && r.Last < length).Label($"{header} over {length}");
        }).Holds();
    }

    [Fact]
    public void ContentRange_FormatThenTryParse_RoundTrips()
    {
        var cases = Gen.Zip(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(1, int.MaxValue)), Gen.Choose(1, int.MaxValue)).ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var ((offset, length), extra) = c;
            var range = new ByteRange(offset, length);
            var complete = range.Last + extra;
            var text = ContentRange.Format(range, complete);
            return (ContentRange.TryParse(text, out var back) && back == new ContentRange(range.Offset, range.Last, complete))
                .Label(text);
        }).Holds();
    }

    [Fact]
    public void IfRange_TheStoredStrongETag_AlwaysAllows()
    {
        var opaque = Gen.Elements("a", "b", "7", "-", "\u00fc").NonEmptyListOf().Select(p => string.Concat(p)).ToArbitrary();

        Prop.ForAll(opaque, o =>
        {
            var tag = $"\"{o}\"";
            return IfRange.Allows(tag, tag, null) && !IfRange.Allows($"W/{tag}", $"W/{tag}", null) && !IfRange.Allows(tag, $"\"{o}x\"", null);
        }).Holds();
    }
}
