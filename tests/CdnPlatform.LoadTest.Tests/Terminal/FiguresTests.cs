using CdnPlatform.LoadTest.Terminal;

namespace CdnPlatform.LoadTest.Tests.Terminal;

public sealed class FiguresTests
{
    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(0.84, "0.84ms")]
    [InlineData(0.999, "1.0ms")]
    [InlineData(1.2, "1.2ms")]
    [InlineData(12.34, "12.3ms")]
    [InlineData(99.96, "100ms")]
    [InlineData(245.4, "245ms")]
    [InlineData(999.6, "1.00s")]
    [InlineData(1210, "1.21s")]
    [InlineData(12_500, "12.5s")]
    [InlineData(123_400, "123s")]
    public void LatenciesKeepAboutThreeDigits(double milliseconds, string text) => Assert.Equal(text, Figures.Milliseconds(milliseconds));

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(49.84, "49.8")]
    [InlineData(50, "50")]
    [InlineData(201.3, "201")]
    [InlineData(12_345.6, "12,346")]
    public void RatesDropTheDecimalOnceTheyAreLarge(double rate, string text) => Assert.Equal(text, Figures.Rate(rate));

    [Theory]
    [InlineData(0.973, "97.3%")]
    [InlineData(1.0, "100.0%")]
    [InlineData(0.0, "0.0%")]
    [InlineData(null, "—")]
    public void RatiosArePercentagesAndNoRatioIsADash(double? ratio, string text) => Assert.Equal(text, Figures.Percent(ratio));

    [Fact]
    public void CountsAreGroupedByThousands() => Assert.Equal("12,345", Figures.Count(12_345));

    [Theory]
    [InlineData(0, "0 errors")]
    [InlineData(1, "1 error")]
    [InlineData(2_000, "2,000 errors")]
    public void CountsOfSomethingAgreeInNumber(long count, string text) => Assert.Equal(text, Figures.Count(count, "error"));

    [Theory]
    [InlineData(4.24, "4.2s")]
    [InlineData(30, "30s")]
    [InlineData(90, "1m30s")]
    [InlineData(65, "1m05s")]
    [InlineData(120, "2m")]
    public void DurationsReadAsScenariosWriteThem(double seconds, string text) => Assert.Equal(text, Figures.Duration(seconds));

    [Fact]
    public void ErrorKindsListTheMostFirstAndLeaveOutNone()
    {
        var text = Figures.ErrorKinds(new Dictionary<string, long> { ["status-5xx"] = 3, ["timeout"] = 12, ["reset"] = 0, ["check"] = 3 });
        Assert.Equal("timeout 12, check 3, status-5xx 3", text);
    }
}
