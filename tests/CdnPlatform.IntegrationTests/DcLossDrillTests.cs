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
            Assert.True(exit == 0 && File.Exists(json), $"exit {exit}\n{output}\n{error}");
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

            Assert.True(exit == 0 && File.Exists(json), $"exit {exit}\n{output}\n{error}");
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

    private HttpClient ControlClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(_network.ControlUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _network.ApiKey);
        return client;
    }

    private async Task<(int Exit, string Output, string Error)> CdnctlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "cdnctl.dll"), .. args, "--control", _network.ControlUrl, "--api-key", _network.ApiKey])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        return (process.ExitCode, await output, await error);
    }
}
