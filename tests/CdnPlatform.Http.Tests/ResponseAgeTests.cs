using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §4.2.3: age calculations.</summary>
public sealed class ResponseAgeTests
{
    private static readonly DateTimeOffset RequestTime = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string Date(DateTimeOffset at) => HttpDate.Format(at);

    [Fact]
    public void NoAgeNoDate_InstantResponse_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, ResponseAge.CorrectedInitialAge(null, null, RequestTime, RequestTime));
    }

    [Fact]
    public void NoAgeNoDate_IsResponseDelay()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ResponseAge.CorrectedInitialAge(null, null, RequestTime, RequestTime.AddSeconds(3)));
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
        Assert.Equal(TimeSpan.Zero, ResponseAge.CorrectedInitialAge(null, Date(RequestTime.AddHours(1)), RequestTime, RequestTime));
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
    public void AgeList_UsesFirstValue()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ResponseAge.CorrectedInitialAge("30, 50", null, RequestTime, RequestTime));
    }

    [Fact]
    public void AgeWithSurroundingWhitespace_IsRead()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ResponseAge.CorrectedInitialAge(" 30 ", null, RequestTime, RequestTime));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("")]
    public void InvalidAge_IsIgnored(string age)
    {
        Assert.Equal(TimeSpan.FromSeconds(2), ResponseAge.CorrectedInitialAge(age, null, RequestTime, RequestTime.AddSeconds(2)));
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
