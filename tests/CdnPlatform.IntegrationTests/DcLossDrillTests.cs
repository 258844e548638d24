using System.Diagnostics;
using System.Text.Json;
using CdnPlatform.Cli.Drill;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Client;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>cdnctl drill dc-loss</c> as ops run it, a separate process, against <c>cdnctl up --redis auto</c> with the
/// automatic policy on: the primary datacenter (gateways, nodes, Redis) SIGKILLed under load, the control plane
/// failing over by itself, the primary started again and failed back to. Smaller numbers than the benchmark's
/// run (bench/RESULTS.md), the same bar.
/// </summary>
[Collection(UnderLoadCollection.Name)]
public sealed class DcLossDrillTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "drill-key-0123456789",
        StartRedisServers = true,
        AutomaticFailover = true,
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task KillingThePrimary_UnderLoad_CostsNoCacheablePageNoPurgeNoSession_AndFailbackCostsNothing()
    {
        var json = Path.Combine(Path.GetTempPath(), $"drill-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, error) = await CdnctlAsync("drill", "dc-loss", "--steady-seconds", "3", "--after-seconds", "4",
                "--visitors", "3", "--shoppers", "2", "--json", json);
            Assert.True(exit == 0 && File.Exists(json), $"exit {exit}\n{output}\n{error}\n{DatacenterLogs()}");
            var report = JsonSerializer.Deserialize<DcLossDrillReport>(await File.ReadAllTextAsync(json), DrillReportPrinter.Json)!;

            Assert.Equal(("primary", "dr", true), (report.Killed, report.TookOver, report.Automatic));
            Assert.Equal(["steady", "dc-loss", "failback"], report.Phases.Select(p => p.Name));
            foreach (var phase in report.Phases)
            {
                // Every kind of traffic ran in every phase, so a zero below is a measured zero.
                Assert.All(phase.Kinds, k => Assert.True(k.Requests > 0, $"{phase.Name}: no {k.Kind} request"));
                Assert.Equal(0, phase.Of(DrillKind.Cacheable).Errors);
                Assert.Equal((0, phase.Sessions), (phase.PurgesLost, phase.SessionsKept));
                Assert.True(phase.PurgesAccepted > 0 && phase.WritesAcknowledged > 0, $"{phase.Name}: no purge or write acknowledged");
            }
            var loss = report.Phases[1];
            Assert.True(loss.Recovery <= DrillBar.MaxRecovery, $"uncacheable traffic failed for {loss.Recovery}");
            // Writes made while DR takes over wait at its gateways and are done after the switch: only a shopper's write
            // in flight at the kill (one per shopper at most) may fail, since nobody can say whether it was done.
            var writes = loss.Of(DrillKind.Write);
            Assert.True(writes.Errors <= 2, $"{writes.Errors} of {writes.Requests} writes failed: {string.Join("; ", writes.FirstErrors)}");
            var failback = report.Phases[2];
            Assert.Equal((0, 0), (failback.Errors, failback.WritesLost));
            Assert.Contains("every phase held the bar", output);
            Assert.Equal("primary", (await new DatacenterApi(ControlClient()).StatusAsync(default)).Active);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task APlannedSwitchover_ToDrAndBack_UnderLoad_CostsNothing()
    {
        var json = Path.Combine(Path.GetTempPath(), $"drill-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, error) = await CdnctlAsync("drill", "switchover", "--steady-seconds", "2", "--after-seconds", "3",
                "--visitors", "3", "--shoppers", "2", "--json", json);

            Assert.True(exit == 0 && File.Exists(json), $"exit {exit}\n{output}\n{error}\n{DatacenterLogs()}");
            var report = JsonSerializer.Deserialize<DcLossDrillReport>(await File.ReadAllTextAsync(json), DrillReportPrinter.Json)!;
            Assert.True(report.Planned);
            Assert.Equal(["steady", "switchover", "switchback"], report.Phases.Select(p => p.Name));
            foreach (var phase in report.Phases)
            {
                Assert.All(phase.Kinds, k => Assert.True(k.Requests > 0, $"{phase.Name}: no {k.Kind} request"));
                Assert.Equal((0, 0, 0), (phase.Errors, phase.WritesLost, phase.PurgesLost));
                Assert.True(phase.WritesAcknowledged > 0 && phase.SessionsKept == phase.Sessions, $"{phase.Name}: no write, or a session lost");
            }
            Assert.Equal("primary", (await new DatacenterApi(ControlClient()).StatusAsync(default)).Active);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task KillingTheStandby_UnderLoad_CostsNothing_SwitchesNothing_AndItCatchesUpWhenStarted()
    {
        var json = Path.Combine(Path.GetTempPath(), $"drill-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, error) = await CdnctlAsync("drill", "standby-loss", "--steady-seconds", "2", "--after-seconds", "3",
                "--visitors", "3", "--shoppers", "2", "--json", json);

            Assert.True(exit == 0 && File.Exists(json), $"exit {exit}\n{output}\n{error}\n{DatacenterLogs()}");
            var report = JsonSerializer.Deserialize<DcLossDrillReport>(await File.ReadAllTextAsync(json), DrillReportPrinter.Json)!;
            Assert.Equal((DrillScenario.StandbyLoss, "dr", "primary", false), (report.Scenario, report.Killed, report.TookOver, report.Automatic));
            Assert.Equal(["steady", "standby-loss", "standby-back"], report.Phases.Select(p => p.Name));
            foreach (var phase in report.Phases)
            {
                Assert.All(phase.Kinds, k => Assert.True(k.Requests > 0, $"{phase.Name}: no {k.Kind} request"));
                Assert.Equal((0, 0, 0), (phase.Errors, phase.WritesLost, phase.PurgesLost));
                Assert.True(phase.WritesAcknowledged > 0 && phase.SessionsKept == phase.Sessions, $"{phase.Name}: no write, or a session lost");
                Assert.NotNull(phase.Switched);
            }
            Assert.Contains("seen down", output);
            Assert.Contains("caught up", output);

            // Nothing switched, and the standby's Redis is a replica again that has the writes made while it was gone.
            var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
            Assert.Equal("primary", status.Active);
            Assert.Null(status.LastSwitch);
            var dr = status.Datacenters.Single(d => d.Name == "dr");
            Assert.Equal(("up", "slave", true), (dr.ControlView, dr.RedisRole, dr.ReplicationLinkUp));
            var (_, said, _) = await CdnctlAsync("dc", "status");
            Assert.Matches(@"redis role slave, replication offset \d+, link to its primary up", said);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task PauseAndResume_RefuseWhatTheyCannotDo_NamingWhy_AndChangeNothing()
    {
        var (paused, pausedOut, _) = await CdnctlAsync("dc", "pause", "primary", "--redis-only");
        var (again, _, againError) = await CdnctlAsync("dc", "pause", "primary");
        var (resumed, resumedOut, _) = await CdnctlAsync("dc", "resume", "primary");
        var (notPaused, _, notPausedError) = await CdnctlAsync("dc", "resume", "primary");
        using var badPart = await ControlClient().PostAsync("/v1/dc/primary/pause?only=gateways", null);
        using var anonymous = new HttpClient { BaseAddress = new Uri(_network.ControlUrl) };
        using var keyless = await anonymous.PostAsync("/v1/dc/primary/pause?only=gateways", null);

        // 3: the control plane refused the call.
        Assert.Equal((0, 3, 0, 3), (paused, again, resumed, notPaused));
        Assert.Contains("primary: paused (its Redis)", pausedOut);
        Assert.Contains("primary is paused already: nothing was done", againError);
        Assert.Contains("primary: running", resumedOut);
        Assert.Contains("primary is not paused: nothing was done", notPausedError);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badPart.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, keyless.StatusCode);
        using (var body = JsonDocument.Parse(await badPart.Content.ReadAsStringAsync()))
        {
            Assert.Equal(("only must be 'redis' (its Redis alone) or absent (the whole datacenter), was 'gateways'", "only"),
                (body.RootElement.GetProperty("error").GetString(), body.RootElement.GetProperty("field").GetString()));
        }
        var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
        Assert.Equal("primary", status.Active);
        Assert.Null(status.LastSwitch);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PausingThePrimary_UnderLoad_LosesNoAcknowledgedWrite_AndItIsFencedOnceResumed(bool redisOnly)
    {
        var json = Path.Combine(Path.GetTempPath(), $"drill-{Guid.NewGuid():N}.json");
        try
        {
            // Shoppers enough that some write is still at a primary node (or, paused whole, at its gateway) when it
            // resumes a second after the failover: the answer the gateway must not pass on. Without the gateway's
            // withheld 502, Redis paused alone lost 2-6 acknowledged writes a run; without its pause watch, the whole
            // datacenter paused lost 3 in 2 runs of 3.
            string[] args = ["drill", "stall", "--steady-seconds", "2", "--after-seconds", "3", "--visitors", "3", "--shoppers", "6", "--json", json];
            // Paused whole, the datacenter is failed away from in ~3 s, and the shoppers' requests then wait in it: resumed
            // a second later, some runs had no write begun in the stall phase. Resumed 3 s later, the shoppers have been
            // answered by DR meanwhile and write again; what its gateways held still waits for the resume either way.
            // Paused alone, its Redis is resumed a second after the failover, before the nodes' 3 s Redis timeout ends the
            // writes waiting for it: those are the late answers the gateway must withhold.
            var (exit, output, error) = await CdnctlAsync(redisOnly ? [.. args, "--redis-only"] : [.. args, "--resume-after-seconds", "3"]);

            Assert.True(File.Exists(json), $"exit {exit}\n{output}\n{error}\n{DatacenterLogs()}");
            var report = JsonSerializer.Deserialize<DcLossDrillReport>(await File.ReadAllTextAsync(json), DrillReportPrinter.Json)!;
            Assert.Equal((DrillScenario.Stall, "primary", "dr", true), (report.Scenario, report.Killed, report.TookOver, report.Automatic));
            Assert.Equal(["steady", "stall", "resumed", "failback"], report.Phases.Select(p => p.Name));
            foreach (var phase in report.Phases)
            {
                Assert.True(phase.Of(DrillKind.Write).Requests > 0, $"{phase.Name}: no write");
                // What the stall rehearses: nothing acknowledged is lost, neither while paused nor once resumed and fenced.
                Assert.True(phase.WritesLost == 0, $"{phase.Name}: {phase.WritesLost} acknowledged writes lost\n{output}");
                Assert.Equal((0, 0, phase.Sessions), (phase.Of(DrillKind.Cacheable).Errors, phase.PurgesLost, phase.SessionsKept));
                Assert.NotNull(phase.Switched);
            }
            Assert.Equal((0, 0), (report.Phases[3].Errors, report.Phases[3].WritesLost));
            // A stalled datacenter takes longer to be seen down than a dead one (its connections hang instead of being
            // refused): the writes of the stall may fail for longer than the loss bar's 5 s. That is the one miss allowed.
            Assert.All(report.Misses, miss => Assert.StartsWith("stall: uncacheable requests failed for", miss));
            Assert.Contains("fenced", output);

            // Resumed, fenced, failed back to: the primary's Redis is the primary again, DR's its linked replica.
            var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
            Assert.Equal("primary", status.Active);
            var dr = status.Datacenters.Single(d => d.Name == "dr");
            Assert.Equal(("up", "slave", true), (dr.ControlView, dr.RedisRole, dr.ReplicationLinkUp));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task ADrillAskedToKillTheWrongDatacenter_StopsBeforeAnyLoad_AndSaysWhy()
    {
        // One network for the three: each refusal comes before the drill touches anything.
        foreach (var (drill, kill, said) in new[]
        {
            ("standby-loss", "primary", "the standby drill kills a datacenter that is not active, and primary is"),
            ("dc-loss", "dr", "cdnctl drill standby-loss kills a standby"),
            ("standby-loss", "paris", "there is no datacenter 'paris'"),
        })
        {
            var (exit, output, error) = await CdnctlAsync("drill", drill, "--kill", kill);

            Assert.True(exit == 1 && error.Contains(said, StringComparison.Ordinal), $"{drill} --kill {kill}: exit {exit}\n{output}\n{error}");
            Assert.DoesNotContain("preparing", output);
        }
        var status = await new DatacenterApi(ControlClient()).StatusAsync(default);
        Assert.Equal("primary", status.Active);
        Assert.All(status.Datacenters, d => Assert.Equal("up", d.ControlView));
    }

    [Fact]
    public async Task ADrillInterruptedAfterItsKill_StartsTheKilledDatacenterAgain_AndEnds130WithoutAReport()
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        // As a terminal's Ctrl+C arrives: at SIGINT's default, even when the test run has it ignored (a background job).
        foreach (var arg in (string[])["--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "cdnctl.dll"), "drill", "dc-loss",
            "--steady-seconds", "1", "--after-seconds", "30", "--visitors", "2", "--shoppers", "1", "--control", _network.ControlUrl, "--api-key", _network.ApiKey])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var failedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
                if (line.Contains("dr active", StringComparison.Ordinal))
                {
                    failedOver.TrySetResult();
                }
            }
        });
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            // Interrupted in the drill's 30 s of load after the failover: the primary is down, dr is active.
            await failedOver.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var api = new DatacenterApi(ControlClient());
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            await reading;
            var said = $"{output}\n{await error}";

            Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{said}");
            Assert.Contains("interrupted: starting primary again", said);
            Assert.Contains("primary started", said);
            Assert.Contains("the drill was interrupted: no report", said);
            Assert.DoesNotContain("held the bar", said);
            // Up again for the control plane's own probes; not failed back to.
            Assert.Null(await api.WaitUpAsync("primary", TimeSpan.FromSeconds(60), TimeProvider.System, default));
            Assert.Equal("dr", (await api.StatusAsync(default)).Active);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    // The datacenters' own warnings (a node's storage failures, a gateway's), for a drill that missed its bar.
    private string DatacenterLogs() =>
        $"--- primary's log:\n{_network.DatacenterOutput("primary")}\n--- dr's log:\n{_network.DatacenterOutput("dr")}";

    private HttpClient ControlClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(_network.ControlUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _network.ApiKey);
        return client;
    }

    private Task<(int Exit, string Output, string Error)> CdnctlAsync(params string[] args) =>
        CdnctlCommand.RunAsync(_network.ControlUrl, _network.ApiKey, TimeSpan.FromMinutes(4), args);
}
