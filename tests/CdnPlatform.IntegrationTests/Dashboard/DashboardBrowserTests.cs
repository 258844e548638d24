using System.Globalization;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CdnPlatform.IntegrationTests.Dashboard;

/// <summary>
/// The ops dashboard of a whole local network (two datacenters with Redis) in a real headless Chromium: sign in with
/// the ops key, see the datacenters, switch over to DR through the confirmation dialog and see the page follow — and a
/// wrong key refused with a message. Every request the page makes is recorded, and any not to the control plane refused.
/// </summary>
public sealed class DashboardBrowserTests(DashboardNetworkFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardNetworkFixture>
{
    private static readonly TimeSpan SwitchPatience = TimeSpan.FromSeconds(30);

    private LocalNetwork Network => fixture.Network;

    [Fact]
    public async Task AWrongKey_IsRefused_WithAClearMessage_AndShowsNoData()
    {
        var visit = await OpenAsync();
        var page = visit.Page;
        try
        {
            await page.FillAsync("#api-key", "not-the-key-0123456789");
            await page.ClickAsync("#login-button");

            var error = page.Locator("#login-error");
            await Assertions.Expect(error).ToBeVisibleAsync();
            Assert.Contains("Wrong key", await error.TextContentAsync());
            Assert.Contains("401", await error.TextContentAsync());
            Assert.Equal("signed-out", await page.GetAttributeAsync("body", "data-state"));
            Assert.True(await page.Locator("#dashboard").IsHiddenAsync(), "the dashboard shows after a refused key");
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('cdnplatform.dashboard.apiKey')"));
            visit.AssertClean();
        }
        finally
        {
            await ScreenshotAsync(page, "dashboard-wrong-key.png");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Switchover_AfterConfirming_MakesDrActive_AndNothingIsSentOnCancel()
    {
        var visit = await OpenAsync();
        var page = visit.Page;
        try
        {
            await SignInAsync(page);

            // Both datacenters listed, primary active; the switch waits until DR is up for the control plane (it refuses otherwise).
            var primary = page.Locator("#datacenters tbody tr[data-datacenter=\"primary\"]");
            var dr = page.Locator("#datacenters tbody tr[data-datacenter=\"dr\"]");
            await Assertions.Expect(primary).ToHaveAttributeAsync("data-active", "true");
            await Assertions.Expect(dr).ToHaveAttributeAsync("data-active", "false");
            await Assertions.Expect(page.Locator("#active-datacenter")).ToHaveTextAsync("primary");
            await Assertions.Expect(dr.Locator("[data-field=\"control-view\"]")).ToHaveTextAsync("up", new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            await Assertions.Expect(page.Locator("#sites tbody tr[data-site=\"shop\"]")).ToContainTextAsync("primary");
            // The rest of the page: every POP, every origin node with its drain button.
            await Assertions.Expect(page.Locator("#pops tbody tr")).ToHaveCountAsync(3);
            foreach (var (pop, _) in LocalNetwork.Edges)
            {
                await Assertions.Expect(page.Locator($"#pops tbody tr[data-pop=\"{pop}\"] [data-field=\"rate\"]")).Not.ToBeEmptyAsync();
            }
            await Assertions.Expect(page.Locator("#nodes tbody tr")).ToHaveCountAsync(6);
            await Assertions.Expect(page.Locator("#nodes button[data-action=\"drain\"][data-node=\"primary-1\"]")).ToBeVisibleAsync();

            var switchover = page.Locator("#datacenters button[data-action=\"switchover\"][data-datacenter=\"dr\"]");
            var dialog = page.Locator("#confirm");
            await switchover.ClickAsync();
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            Assert.Contains("from primary to dr", await page.Locator("#confirm-title").TextContentAsync());
            Assert.Contains("POST /v1/dc/switchover {\"to\":\"dr\"}", await page.Locator("#confirm-request").TextContentAsync());
            await page.ClickAsync("#confirm-cancel");
            await Assertions.Expect(dialog).ToBeHiddenAsync();
            // A poll or two after the cancel: still nothing sent, still primary.
            var refreshed = int.Parse(await page.GetAttributeAsync("body", "data-refreshed") ?? "0", CultureInfo.InvariantCulture);
            await page.WaitForFunctionAsync("n => Number(document.body.dataset.refreshed) > n", refreshed);
            Assert.DoesNotContain(visit.Requests, r => r.Method == "POST");
            await Assertions.Expect(page.Locator("#active-datacenter")).ToHaveTextAsync("primary");

            await switchover.ClickAsync();
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await page.ClickAsync("#confirm-ok");

            await Assertions.Expect(page.Locator("#active-datacenter")).ToHaveTextAsync("dr", new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            await Assertions.Expect(dr).ToHaveAttributeAsync("data-active", "true");
            await Assertions.Expect(primary).ToHaveAttributeAsync("data-active", "false");
            await Assertions.Expect(page.Locator("#action-status")).ToContainTextAsync("switchover primary → dr: done");
            await Assertions.Expect(page.Locator("#audit tbody tr[data-kind=\"failover\"]").First).ToBeVisibleAsync();
            var post = Assert.Single(visit.Requests, r => r.Method == "POST");
            Assert.Equal(Network.ControlUrl + "/v1/dc/switchover", post.Url);
            visit.AssertClean();
        }
        finally
        {
            await ScreenshotAsync(page, "dashboard-switchover.png");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task APurge_ShowsEachEdgesCompletion_AndAPopsTraffic_ItsHitRatio()
    {
        var visit = await OpenAsync();
        var page = visit.Page;
        try
        {
            await SignInAsync(page);
            using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
            var ams = Network.EdgeNodes.Single(e => e.Name == "ams").Url;

            var id = await NetworkScenario.PurgeAsync(client, Network, $"http://{LocalNetwork.SiteHost}/");
            var purge = page.Locator($"#purges tbody tr[data-purge=\"{id}\"]");
            await Assertions.Expect(purge).ToContainTextAsync("done", new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            foreach (var (edge, _) in LocalNetwork.Edges)
            {
                await Assertions.Expect(purge.Locator($"td[data-edge=\"{edge}\"]")).ToContainTextAsync("✓");
            }
            await Assertions.Expect(purge).ToContainTextAsync($"http://{LocalNetwork.SiteHost}/");

            // The same page again and again through ams: hits after the first, a ratio once a poll window holds them.
            var hitRatio = page.Locator("#pops tbody tr[data-pop=\"ams\"] [data-field=\"hit-ratio\"]");
            await Eventually.TrueAsync(async () =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await NetworkScenario.CacheStatusAsync(client, ams, "/");
                }
                await Task.Delay(100);
                return (await hitRatio.TextContentAsync())?.Contains('%', StringComparison.Ordinal) == true;
            }, SwitchPatience, "a hit ratio for ams on the page");
            var rate = double.Parse(await page.Locator("#pops tbody tr[data-pop=\"ams\"] [data-field=\"rate\"]").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
            Assert.True(rate > 0, $"ams shows a hit ratio but a rate of {rate}");
            visit.AssertClean();
        }
        finally
        {
            await ScreenshotAsync(page, "dashboard-purge-traffic.png");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task ANode_IsDrainedAndUndrained_FromThePage_AfterConfirming()
    {
        var visit = await OpenAsync();
        var page = visit.Page;
        try
        {
            await SignInAsync(page);
            var row = page.Locator("#nodes tbody tr[data-node=\"primary-3\"]");

            await row.Locator("button[data-action=\"drain\"]").ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-title")).ToHaveTextAsync("Drain primary-3 of primary?");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(row.Locator("button[data-action=\"undrain\"]")).ToBeVisibleAsync(new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            await Assertions.Expect(row).Not.ToContainTextAsync("active");

            await row.Locator("button[data-action=\"undrain\"]").ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-title")).ToHaveTextAsync("Put primary-3 back into primary's rotation?");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(row.Locator("button[data-action=\"drain\"]")).ToBeVisibleAsync(new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            await Assertions.Expect(row).ToContainTextAsync("active");

            Assert.Equal([Network.ControlUrl + "/v1/nodes/primary/primary-3/drain", Network.ControlUrl + "/v1/nodes/primary/primary-3/undrain"],
                visit.Requests.Where(r => r.Method == "POST").Select(r => r.Url));
            visit.AssertClean();
        }
        finally
        {
            await ScreenshotAsync(page, "dashboard-drain.png");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_node_the_gateways_take_out_shows_unhealthy_with_their_last_probe_and_healthy_again_once_back()
    {
        var visit = await OpenAsync();
        var page = visit.Page;
        var node = Network.Nodes.Single(n => n.Name == "dr-2");
        try
        {
            await SignInAsync(page);
            var health = page.Locator("#nodes tbody tr[data-node=\"dr-2\"] [data-field=\"health\"]");
            await Assertions.Expect(health).ToHaveTextAsync("healthy", new() { Timeout = (float)SwitchPatience.TotalMilliseconds });

            await Network.StopNodeAsync(node.Url);
            await Assertions.Expect(health).ToContainTextAsync("unhealthy at 2 of 2", new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            await Assertions.Expect(health).ToContainTextAsync("last probe: failed");
            await ScreenshotAsync(page, "dashboard-node-unhealthy.png");

            await Network.RestartNodeAsync(node.Url);
            await Assertions.Expect(health).ToHaveTextAsync("healthy", new() { Timeout = (float)SwitchPatience.TotalMilliseconds });
            visit.AssertClean();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task SignInAsync(IPage page)
    {
        await page.FillAsync("#api-key", Network.ApiKey);
        await page.ClickAsync("#login-button");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "signed-in");
        await Assertions.Expect(page.Locator("#login-error")).ToBeHiddenAsync();
    }

    private async Task<DashboardVisit> OpenAsync()
    {
        // A context per test: its own sessionStorage, so no test starts signed in by another.
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var visit = new DashboardVisit(await context.NewPageAsync());
        // The page is self-contained: anything but the control plane is refused and recorded.
        await visit.Page.RouteAsync("**/*", route =>
        {
            var allowed = route.Request.Url.StartsWith(Network.ControlUrl + "/", StringComparison.Ordinal);
            visit.Requests.Enqueue(new PageRequest(route.Request.Method, route.Request.Url, Refused: !allowed));
            return allowed ? route.ContinueAsync() : route.AbortAsync();
        });
        visit.Page.PageError += (_, error) => visit.Errors.Enqueue(error);
        visit.Page.Console += (_, message) => output.WriteLine($"console {message.Type}: {message.Text}");
        var response = await visit.Page.GotoAsync(Network.ControlUrl + "/dashboard");
        Assert.Equal(200, response?.Status);
        return visit;
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
