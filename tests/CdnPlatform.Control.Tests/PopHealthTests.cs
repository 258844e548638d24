using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.SiteDns;

namespace CdnPlatform.Control.Tests;

public sealed class PopHealthTests
{
    private static readonly ControlPopHealthOptions Rules = new() { DownAfter = 3, UpAfter = 2 };

    private static PopHealth After(PopHealth start, string probes) =>
        probes.Aggregate(start, (health, probe) => health.After(probe == '+', Rules));

    [Theory]
    [InlineData("", true)]
    [InlineData("-", true)]
    [InlineData("--", true)]
    [InlineData("---", false)]
    [InlineData("--+--", true)]
    [InlineData("---+", false)]
    [InlineData("---++", true)]
    [InlineData("---+-+", false)]
    [InlineData("---+-++", true)]
    public void AssumedUp_DownAfterThreeFailuresInARow_UpAfterTwoSuccessesInARow(string probes, bool up) =>
        Assert.Equal(up, After(PopHealth.Assumed, probes).Up);

    [Fact]
    public void TheRunsCount_TheLastProbeResetsTheOther()
    {
        Assert.Equal(new PopHealth(true, 2, 0), After(PopHealth.Assumed, "+--"));
        Assert.Equal(new PopHealth(false, 0, 1), After(PopHealth.Assumed, "---+"));
    }
}
