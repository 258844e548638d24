using CdnPlatform.Cli.Topology;
using Microsoft.Playwright;

namespace CdnPlatform.IntegrationTests.Dashboard;

/// <summary>
/// One <c>cdnctl up --redis auto --manual-failover</c> network — two datacenters with Redis each, so a switchover can
/// really happen, and no automatic policy to switch on its own — and one headless Debian chromium to drive the dashboard.
/// </summary>
public sealed class DashboardNetworkFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public LocalNetwork Network { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        // Not a skip: a machine without the browser would otherwise pass without the page ever running.
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: the browser tests use Debian's chromium (scripts/test.sh installs it: apt-get install chromium)");
        var network = LocalNetwork.StartAsync(new LocalNetworkOptions
        {
            ApiKey = "dashboard-key-0123456789",
            StartRedisServers = true,
            NodePort = 0,
            ControlPort = 0,
            DnsPort = 0,
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        Network = await network;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Network is not null)
        {
            await Network.DisposeAsync();
        }
    }
}
