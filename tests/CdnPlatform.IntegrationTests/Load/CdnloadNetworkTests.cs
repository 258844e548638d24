using System.Diagnostics;
using CdnPlatform.Client;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.IntegrationTests.Load;

/// <summary>
/// cdnload's built-in scenarios as a user runs them, a process of its own, against the whole local network: the POPs
/// come from the control plane, the shop's pages from its sitemap, the CMS publishes through the shop, the datacenter
/// dies through the control API. Shorter and slower than a real run; the same figures are asserted.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class CdnloadNetworkTests(LoadNetworkFixture fixture) : IClassFixture<LoadNetworkFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdnload-net-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sale_peak_loads_every_POP_logs_shoppers_in_and_reports_hits_per_POP_and_origin_answers_per_datacenter()
    {
        var report = await RunAsync("sale-peak", "--rate", "20", "--duration", "8s");

        Assert.Equal(["ams", "nyc", "sgp"], report.Pops.Select(p => p.Name).Order());
        Assert.All(report.Pops, p => Assert.True(p.Requests > 10 && p.Hits > 0, $"{p.Name}: {p.Requests} requests, {p.Hits} hits"));
        Assert.Equal(0, report.Total.Errors);
        Assert.Equal(report.Total.Requests, report.Pops.Sum(p => p.Requests));
        // Misses and passes are answered by the primary's nodes (X-Served-By primary-N); hits by no datacenter at all.
        var primary = Assert.Single(report.Datacenters);
        Assert.Equal("primary", primary.Name);
        Assert.Equal(report.Total.CacheAnswers - report.Total.Hits, primary.Requests);
        Assert.InRange(report.Total.HitRatio!.Value, 0.3, 1.0);
        // The built-in's thresholds are checked (p99 < 250ms can break on a machine this busy; the exit code then says so).
        Assert.Equal(3, report.Thresholds.Count);
        Assert.True(report.Timeline.Count >= 7 && report.Timeline.All(s => s.Pops.Count == 3));
    }

    [Fact]
    public async Task Purge_storm_follows_every_publish_until_every_POP_shows_the_new_price()
    {
        var report = await RunAsync("purge-storm", "--rate", "20", "--duration", "8s");

        var publishes = report.Events.Count(e => e.Kind == "publish");
        var fresh = report.Events.Where(e => e.Kind == "purge-fresh").ToList();
        Assert.True(publishes >= 3, $"{publishes} publishes");
        Assert.Equal(publishes, fresh.Count);
        Assert.DoesNotContain(report.Events, e => e.Kind == "purge-stale");
        Assert.All(fresh, e => Assert.InRange(e.Seconds!.Value, 0, 30));
        Assert.Equal(0, report.Total.Errors);
    }

    [Fact]
    public async Task Dc_drill_kills_the_primary_under_load_marks_failover_and_failback_and_attributes_answers_to_both_datacenters()
    {
        var report = await RunAsync("dc-drill", "--rate", "20", "--duration", "20s");

        Assert.Equal(["dc-kill", "failover", "dc-start", "failback"], report.Events.Select(e => e.Kind));
        Assert.True(report.Events.Zip(report.Events.Skip(1)).All(p => p.First.At <= p.Second.At), "events out of order");
        Assert.Contains("automatic", report.Events[1].Label);
        Assert.Equal(["dr", "primary"], report.Datacenters.Select(d => d.Name).Order());
        // The edges keep serving what they hold while the origin moves: cacheable pages do not fail.
        Assert.All(report.ErrorSamples, sample => Assert.Matches(" (POST|GET /cart|GET /account)", sample));
        Assert.True(report.Total.Hits > report.Total.Requests / 2);
        var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
        Assert.Equal("primary", status.Active);
    }

    [Fact]
    public async Task A_drill_that_kills_the_standby_marks_it_down_started_and_caught_up_switches_nothing_and_costs_no_request()
    {
        var scenario = Path.Combine(_dir, "standby-drill.json");
        await File.WriteAllTextAsync(scenario, """
            { "name": "standby-drill", "model": "open", "rate": 20, "duration": "16s", "mix": { "browse": 4, "shop": 1 },
              "drill": { "kill": "standby", "killAt": "3s", "restartAfter": "5s" } }
            """);

        var report = await RunAsync(scenario);

        Assert.Equal(["dc-kill", "dc-down", "dc-start", "caught-up"], report.Events.Select(e => e.Kind));
        Assert.Contains("dr killed", report.Events[0].Label);
        Assert.True(report.Total.Requests > 200 && report.Total.Errors == 0, $"{report.Total.Errors} of {report.Total.Requests} failed: {string.Join("; ", report.ErrorSamples)}");
        // Only the active datacenter's nodes answered: the standby was never needed.
        Assert.Equal(["primary"], report.Datacenters.Select(d => d.Name));
        var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
        Assert.Equal("primary", status.Active);
        var dr = status.Datacenters.Single(d => d.Name == "dr");
        Assert.Equal(("up", "slave", true), (dr.ControlView, dr.RedisRole, dr.ReplicationLinkUp));
    }

    [Fact]
    public async Task A_drill_that_pauses_the_active_datacenters_Redis_marks_the_pause_the_failover_the_resume_and_the_failback()
    {
        var scenario = Path.Combine(_dir, "stall-drill.json");
        await File.WriteAllTextAsync(scenario, """
            { "name": "stall-drill", "model": "open", "rate": 20, "duration": "20s", "mix": { "browse": 4, "shop": 1 },
              "drill": { "fault": "pause-redis", "killAt": "3s", "restartAfter": "8s" } }
            """);

        var report = await RunAsync(scenario);

        Assert.Equal(["dc-pause", "failover", "dc-resume", "failback"], report.Events.Select(e => e.Kind));
        Assert.True(report.Events.Zip(report.Events.Skip(1)).All(p => p.First.At <= p.Second.At), "events out of order");
        Assert.Equal("primary's Redis paused", report.Events[0].Label);
        Assert.Contains("automatic", report.Events[1].Label);
        Assert.Equal("primary's Redis resumed", report.Events[2].Label);
        // The edges keep serving what they hold while the origin stalls: cacheable pages do not fail.
        Assert.All(report.ErrorSamples, sample => Assert.Matches(" (POST|GET /cart|GET /account)", sample));
        var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
        Assert.Equal("primary", status.Active);
        Assert.Equal(("up", "slave"), (status.Datacenters.Single(d => d.Name == "dr").ControlView, status.Datacenters.Single(d => d.Name == "dr").RedisRole));
    }

    private async Task<LoadReport> RunAsync(params string[] arguments)
    {
        var json = Path.Combine(_dir, Path.GetFileNameWithoutExtension(arguments[0]) + "-report.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        var network = fixture.Network;
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "cdnload.dll"), "run", .. arguments, "--json", json, "--plain",
            "--control", network.ControlUrl, "--api-key", network.ApiKey, "--cms-key", network.CmsApiKey])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        // 0 or 1 (a threshold broke: a built-in's latency bound on a loaded CI machine); anything else is a failure to run.
        Assert.True(process.ExitCode is 0 or 1 && File.Exists(json), $"exit {process.ExitCode}\n{await output}\n{await error}");
        var report = JsonReportWriter.Deserialize(await File.ReadAllTextAsync(json));
        Assert.Equal(report.Passed ? 0 : 1, process.ExitCode);
        return report;
    }

    private HttpClient ControlClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(fixture.Network.ControlUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Network.ApiKey);
        return client;
    }
}
