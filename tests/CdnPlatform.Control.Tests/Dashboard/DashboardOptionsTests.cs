using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary>The settings behind the dashboard's reads, checked at start-up with the key named.</summary>
public sealed class DashboardOptionsTests
{
    private static readonly ControlOptions Valid = new()
    {
        ApiKey = "0123456789abcdef",
        Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test"] }],
        Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }],
    };

    [Fact]
    public void Defaults_AreValid_PollingEveryTwoSeconds()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal(TimeSpan.FromSeconds(2), Valid.Traffic.PollInterval);
    }

    [Fact]
    public void ATrafficPollOfZero_IsValid_AndTurnsThePollOff()
    {
        var off = Valid with { Traffic = new ControlTrafficOptions { PollMilliseconds = 0 } };
        Assert.Empty(off.Validate());
        Assert.False(off.Traffic.Enabled);
        Assert.True(Valid.Traffic.Enabled);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void ATrafficPollOutOfRange_NamesTheKey(int milliseconds) =>
        Assert.Contains((Valid with { Traffic = new ControlTrafficOptions { PollMilliseconds = milliseconds } }).Validate(),
            f => f.StartsWith("Control:Traffic:PollMilliseconds must be 100..60000", StringComparison.Ordinal));

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void AnAuditHistoryOutOfRange_NamesTheKey(int lines) =>
        Assert.Contains((Valid with { AuditHistory = lines }).Validate(), f => f.StartsWith("Control:AuditHistory must be 1..100000", StringComparison.Ordinal));
}
