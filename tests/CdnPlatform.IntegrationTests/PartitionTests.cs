using System.Diagnostics;
using System.Text.Json;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// A real partition: the whole network (<c>cdnctl up --redis auto</c>, automatic failover on) runs as a host of
/// its own, a network namespace made by the test, and routing rules inside it cut the control plane off the
/// primary datacenter's gateways while the edges, which leave from their own 127.0.10.x
/// (<c>Edge:OriginSourceAddress</c>), still reach them. The control plane sees the primary down, the edges see it
/// up: no failover. The namespace, and every process in it, is removed at the end.
/// </summary>
public sealed class PartitionTests : IAsyncLifetime
{
    private const string ApiKey = "partition-key-0123456789";
    private const string ControlUrl = "http://127.0.0.1:8700";
    private readonly string _namespace = $"cdnpart{Environment.ProcessId % 100000}";
    private Process _network = null!;

    public async Task InitializeAsync()
    {
        await RunAsync("ip", "netns", "add", _namespace);
        await InNamespaceAsync("ip", "link", "set", "lo", "up");
        // A namespace of its own: the default ports are free there whatever else runs on this machine.
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in (string[])["netns", "exec", _namespace, "dotnet", Cdnctl, "up", "--redis", "auto", "--api-key", ApiKey])
        {
            start.ArgumentList.Add(arg);
        }
        _network = Process.Start(start)!;
        _ = _network.StandardError.ReadToEndAsync();
        while (await _network.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3)) is { } line)
        {
            if (line.StartsWith("Ctrl+C", StringComparison.Ordinal))
            {
                break;
            }
        }
        _ = _network.StandardOutput.ReadToEndAsync();
        Assert.False(_network.HasExited, "cdnctl up exited in the namespace before it was up");
    }

    public async Task DisposeAsync()
    {
        if (!_network.HasExited)
        {
            // SIGTERM: cdnctl up stops its network as on Ctrl+C; SIGKILL only if it does not within 30 s.
            await RunAsync("kill", "-TERM", _network.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                await _network.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _network.Kill();
            }
        }
        // The datacenter hosts leave when their launcher does; anything left in the namespace is killed with it.
        var (_, pids, _) = await RunAsync("ip", "netns", "pids", _namespace);
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                Process.GetProcessById(int.Parse(pid)).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }
        await RunAsync("ip", "netns", "del", _namespace);
        _network.Dispose();
    }

    [Fact]
    public async Task ControlPlaneCutOffFromThePrimary_EdgesStillReachIt_NoFailover()
    {
        await UntilAsync(status => View(status, "primary") is ("up", false, [_, _, _] edges) && edges.All(e => e == "up"),
            "the primary up for the control plane and its three edges");

        // Traffic to the primary's gateways is unreachable unless it leaves from an edge's address. The local
        // table moves behind the rules, so they are consulted first.
        await InNamespaceAsync("ip", "rule", "add", "pref", "10", "from", "127.0.10.0/24", "lookup", "local");
        await InNamespaceAsync("ip", "rule", "add", "pref", "20", "to", "127.0.21.1", "ipproto", "tcp", "dport", "8080", "unreachable");
        await InNamespaceAsync("ip", "rule", "add", "pref", "21", "to", "127.0.21.2", "ipproto", "tcp", "dport", "8080", "unreachable");
        await InNamespaceAsync("ip", "rule", "add", "pref", "30", "lookup", "local");
        await InNamespaceAsync("ip", "rule", "del", "pref", "0");

        var cut = await UntilAsync(status => View(status, "primary").Control == "down", "the control plane sees the primary down");
        Assert.Equal(("primary", false), (Active(cut), View(cut, "primary").Down));
        Assert.All(View(cut, "primary").Edges, e => Assert.Equal("up", e));
        // The automatic policy looks after every probe round (500 ms): ten rounds of the partition, none fails over.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            var status = await StatusAsync();
            Assert.True(Active(status) == "primary" && !View(status, "primary").Down, $"failed over during the partition: {status}");
        }

        await InNamespaceAsync("ip", "rule", "add", "pref", "0", "lookup", "local");
        foreach (var pref in new[] { "10", "20", "21", "30" })
        {
            await InNamespaceAsync("ip", "rule", "del", "pref", pref);
        }
        var healed = await UntilAsync(status => View(status, "primary").Control == "up", "the control plane sees the primary again");
        Assert.Equal("primary", Active(healed));
    }

    private static string Cdnctl => Path.Combine(AppContext.BaseDirectory, "cdnctl.dll");

    private static string Active(JsonElement status) => status.GetProperty("active").GetString()!;

    private static (string Control, bool Down, string[] Edges) View(JsonElement status, string datacenter)
    {
        var view = status.GetProperty("datacenters").EnumerateArray().Single(d => d.GetProperty("name").GetString() == datacenter);
        return (view.GetProperty("controlView").GetString()!, view.GetProperty("down").GetBoolean(),
            [.. view.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("view").GetString()!)]);
    }

    private async Task<JsonElement> StatusAsync()
    {
        var (exit, output, error) = await InNamespaceAsync("dotnet", Cdnctl, "dc", "status", "--json", "--control", ControlUrl, "--api-key", ApiKey);
        Assert.True(exit == 0, $"cdnctl dc status: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private async Task<JsonElement> UntilAsync(Func<JsonElement, bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        JsonElement last = default;
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            last = await StatusAsync();
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"not within 60 s: {what}; last GET /v1/dc: {last}");
    }

    private Task<(int Exit, string Output, string Error)> InNamespaceAsync(params string[] command) =>
        RunAsync("ip", ["netns", "exec", _namespace, .. command]);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (file == "ip" && args[0] == "netns" && args[1] != "exec" && process.ExitCode != 0 && args[1] != "pids")
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {await error}");
        }
        return (process.ExitCode, await output, await error);
    }
}
