using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §4.2.3: age calculations.</summary>
public sealed class ResponseAgeTests
{
    private static readonly DateTimeOffset RequestTime = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string Date(DateTimeOffset at) => HttpDate.Format(at);

    [Fact]
    public void NoAgeNoDate_InstantResponse_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, ResponseAge.CorrectedInitialAge(StringValues.Empty, null, RequestTime, RequestTime));
    }

    [Fact]
    public void NoAgeNoDate_IsResponseDelay()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ResponseAge.CorrectedInitialAge(StringValues.Empty, null, RequestTime, RequestTime.AddSeconds(3)));
    }

    [Fact]
    public void AgeHeader_PlusResponseDelay_IsCorrectedAgeValue()
    {
        var responseTime = RequestTime.AddSeconds(2);

        Assert.Equal(TimeSpan.FromSeconds(12), ResponseAge.CorrectedInitialAge("10", Date(responseTime), RequestTime, responseTime));
    }

    [Fact]
    public void ApparentAge_LargerThanCorrectedAgeValue_Wins()
    {
        var responseTime = RequestTime.AddSeconds(1);

        // Date is 100 s before the response arrived; Age + delay is only 11 s.
        Assert.Equal(TimeSpan.FromSeconds(100), ResponseAge.CorrectedInitialAge("10", Date(responseTime.AddSeconds(-100)), RequestTime, responseTime));
    }

    [Fact]
    public void CorrectedAgeValue_LargerThanApparentAge_Wins()
    {
        var responseTime = RequestTime.AddSeconds(1);

        Assert.Equal(TimeSpan.FromSeconds(61), ResponseAge.CorrectedInitialAge("60", Date(responseTime.AddSeconds(-5)), RequestTime, responseTime));
    }

    [Fact]
    public void DateInTheFuture_GivesNoNegativeApparentAge()
    {
        Assert.Equal(TimeSpan.Zero, ResponseAge.CorrectedInitialAge(StringValues.Empty, Date(RequestTime.AddHours(1)), RequestTime, RequestTime));
    }

    [Fact]
    public void ResponseBeforeRequest_GivesNoNegativeDelay()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ResponseAge.CorrectedInitialAge("5", null, RequestTime, RequestTime.AddSeconds(-3)));
    }

    [Fact]
    public void InvalidDate_IsIgnored()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), ResponseAge.CorrectedInitialAge("7", "not a date", RequestTime, RequestTime));
    }

    [Fact]
    public void AgeWithSurroundingWhitespace_IsRead()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ResponseAge.CorrectedInitialAge(" 30 ", null, RequestTime, RequestTime));
    }

    [Fact]
    public void AgeAsOneFieldLine_IsRead()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ResponseAge.CorrectedInitialAge(new StringValues("30"), null, RequestTime, RequestTime));
    }

    // cache-tests age-parse-suffix, age-parse-dup-0, age-parse-dup-old (list values) and age-parse-nonnumeric,
    // -negative, -float, -parameter, -numeric-parameter: an invalid Age makes the response stale on arrival.
    [Theory]
    [InlineData("abc")]
    [InlineData("-7200")]
    [InlineData("7200.0")]
    [InlineData("7200,0")]
    [InlineData("0,7200")]
    [InlineData("0, 0")]
    [InlineData("3600, 3600")]
    [InlineData("7200;foo=bar")]
    [InlineData("7200;foo=111")]
    [InlineData("")]
    public void InvalidAge_MakesTheResponseStaleOnArrival(string age)
    {
        Assert.Equal(CacheControl.MaxDelta, ResponseAge.CorrectedInitialAge(age, null, RequestTime, RequestTime.AddSeconds(2)));
    }

    // cache-tests age-parse-suffix-twoline, age-parse-prefix-twoline, age-parse-dup-0-twoline.
    [Theory]
    [InlineData("7200", "0")]
    [InlineData("0", "7200")]
    [InlineData("0", "0")]
    public void TwoAgeFieldLines_MakeTheResponseStaleOnArrival(string first, string second)
    {
        Assert.Equal(CacheControl.MaxDelta, ResponseAge.CorrectedInitialAge(new StringValues([first, second]), null, RequestTime, RequestTime));
    }

    [Fact]
    public void InvalidAge_StaysStaleWhateverTheDate()
    {
        Assert.Equal(CacheControl.MaxDelta, ResponseAge.CorrectedInitialAge("abc", Date(RequestTime), RequestTime, RequestTime));
    }

    [Fact]
    public void HugeAge_IsCappedAt2To31Seconds()
    {
        Assert.Equal(CacheControl.MaxDelta, ResponseAge.CorrectedInitialAge("999999999999999999", null, RequestTime, RequestTime));
    }

    [Fact]
    public void Current_AddsResidentTime()
    {
        var responseTime = RequestTime;

        Assert.Equal(TimeSpan.FromSeconds(45), ResponseAge.Current(TimeSpan.FromSeconds(15), responseTime, responseTime.AddSeconds(30)));
    }

    [Fact]
    public void Current_AtResponseTime_IsCorrectedInitialAge()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), ResponseAge.Current(TimeSpan.FromSeconds(15), RequestTime, RequestTime));
    }

    [Fact]
    public void Current_ClockBeforeResponseTime_DoesNotSubtract()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), ResponseAge.Current(TimeSpan.FromSeconds(15), RequestTime, RequestTime.AddSeconds(-10)));
    }
}
