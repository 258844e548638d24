using CdnPlatform.Http.Headers;
using FsCheck;
using FsCheck.Fluent;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms.</summary>
public sealed class HttpDateTests
{
    private static readonly DateTimeOffset Rfc9110Example = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    [Fact]
    public void TryParse_ImfFixdate_IsAccepted()
    {
        Assert.True(HttpDate.TryParse("Sun, 06 Nov 1994 08:49:37 GMT", out var date));
        Assert.Equal(Rfc9110Example, date);
    }

    [Fact]
    public void TryParse_Rfc850Date_IsAccepted()
    {
        Assert.True(HttpDate.TryParse("Sunday, 06-Nov-94 08:49:37 GMT", out var date));
        Assert.Equal(Rfc9110Example, date);
    }

    [Fact]
    public void TryParse_AsctimeDate_WithSpacePaddedDay_IsAccepted()
    {
        Assert.True(HttpDate.TryParse("Sun Nov  6 08:49:37 1994", out var date));
        Assert.Equal(Rfc9110Example, date);
    }

    [Fact]
    public void TryParse_AsctimeDate_WithTwoDigitDay_IsAccepted()
    {
        Assert.True(HttpDate.TryParse("Wed Nov 16 08:49:37 1994", out var date));
        Assert.Equal(new DateTimeOffset(1994, 11, 16, 8, 49, 37, TimeSpan.Zero), date);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    public void TryParse_AnyForm_YieldsUtc(string value)
    {
        Assert.True(HttpDate.TryParse(value, out var date));
        Assert.Equal(TimeSpan.Zero, date.Offset);
    }

    [Theory]
    [InlineData("  Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT  ")]
    [InlineData("\tSun, 06 Nov 1994 08:49:37 GMT\t")]
    public void TryParse_SurroundingWhitespace_IsIgnored(string value)
    {
        Assert.True(HttpDate.TryParse(value, out var date));
        Assert.Equal(Rfc9110Example, date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("never")]
    [InlineData("1994-11-06T08:49:37Z")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 PST")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 +0000")]
    [InlineData("Sun, 06 Nov 1994 08:49:37")]
    [InlineData("Sun, 06 Nov 1994 25:49:37 GMT")]
    [InlineData("Sun, 31 Feb 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Foo 1994 08:49:37 GMT")]
    public void TryParse_NotAnHttpDate_IsRejected(string? value)
    {
        Assert.False(HttpDate.TryParse(value, out _));
    }

    [Fact]
    public void Format_WritesImfFixdate()
    {
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(Rfc9110Example));
    }

    [Fact]
    public void Format_NonUtcOffset_IsConvertedToGmt()
    {
        var local = new DateTimeOffset(1994, 11, 6, 10, 49, 37, TimeSpan.FromHours(2));

        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(local));
    }

    [Fact]
    public void Format_SingleDigitDayAndHour_AreZeroPadded()
    {
        Assert.Equal("Mon, 01 Jan 2001 01:02:03 GMT", HttpDate.Format(new DateTimeOffset(2001, 1, 1, 1, 2, 3, TimeSpan.Zero)));
    }

    [Fact]
    public void TryParse_Rfc850TwoDigitYear_LessThan50YearsAhead_IsThisCentury()
    {
        // RFC 9110 §5.6.7: a two-digit year is the most recent past year with those digits only when the
        // timestamp would otherwise be more than 50 years in the future. From any year 2011..2060, "60" is
        // 2060 (1 Jan 2060 is a Thursday); .NET's TwoDigitYearMax of 2049 reads 1960 (a Friday) and the
        // weekday check then rejects the value.
        Assert.True(HttpDate.TryParse("Thursday, 01-Jan-60 00:00:00 GMT", out var date));
        Assert.Equal(new DateTimeOffset(2060, 1, 1, 0, 0, 0, TimeSpan.Zero), date);
    }

    // --- property tests -------------------------------------------------------------------------------

    private static readonly long MinSeconds = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly long MaxSeconds = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>Whole-second instants from 1970 to 9999, each with a random offset (Format must convert to GMT).</summary>
    private static readonly Arbitrary<DateTimeOffset> WholeSecondDates =
        Gen.Zip(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, int.MaxValue)), Gen.Choose(-14 * 60, 14 * 60))
            .Select(t =>
            {
                var ((hi, lo), offsetMinutes) = t;
                var span = MaxSeconds - MinSeconds + 1;
                var seconds = MinSeconds + (((long)hi << 31) | (uint)lo) % span;
                var utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
                var offset = TimeSpan.FromMinutes(offsetMinutes);
                // Keep the local clock reading inside DateTimeOffset's range at the year-9999 end.
                return utc.UtcDateTime > DateTime.MaxValue.AddDays(-1) ? utc : utc.ToOffset(offset);
            }).ToArbitrary();

    [Fact]
    public void FormatThenTryParse_AnyWholeSecondDate1970To9999_RoundTrips()
    {
        Prop.ForAll(WholeSecondDates, d =>
        {
            var text = HttpDate.Format(d);
            return (HttpDate.TryParse(text, out var back) && back == d && back.Offset == TimeSpan.Zero)
                .Label($"{d:O} → '{text}'");
        }).Holds();
    }

    [Fact]
    public void FormatThenTryParse_CalendarEdges_RoundTrip()
    {
        DateTimeOffset[] edges =
        [
            new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new(2000, 2, 29, 23, 59, 59, TimeSpan.Zero),
            new(2038, 1, 19, 3, 14, 8, TimeSpan.Zero),
            new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero),
        ];
        foreach (var d in edges)
        {
            Assert.True(HttpDate.TryParse(HttpDate.Format(d), out var back));
            Assert.Equal(d, back);
        }
    }
}
