using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CdnPlatform.LoadTest.Tests.Running;
using CdnPlatform.Testing;

namespace CdnPlatform.LoadTest.Tests.Commands;

/// <summary>cdnload's process as a user or a CI job sees it: exit codes, one-line errors, the report written even when stopped.</summary>
public sealed class CdnloadCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdnload-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_unknown_scenario_is_one_line_naming_it_and_exit_code_2()
    {
        var (code, _, err) = await CdnloadProcess.RunAsync("run", "black-friday", "--target", "http://127.0.0.1:1");

        Assert.Equal(2, code);
        var line = Assert.Single(Lines(err));
        Assert.StartsWith("cdnload: ", line);
        Assert.Contains("black-friday", line);
    }

    [Fact]
    public async Task A_malformed_scenario_file_is_one_line_naming_the_file_and_the_field()
    {
        var file = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(file, """{ "name": "bad", "model": "open", "rate": "fast", "duration": "10s" }""");

        var (code, _, err) = await CdnloadProcess.RunAsync("run", file, "--target", "http://127.0.0.1:1");

        Assert.Equal(2, code);
        var line = Assert.Single(Lines(err));
        Assert.Contains("bad.json", line);
        Assert.Contains("rate", line);
    }

    [Fact]
    public async Task A_scenario_file_that_is_not_JSON_is_one_line_too()
    {
        var file = Path.Combine(_dir, "truncated.json");
        await File.WriteAllTextAsync(file, """{ "name": "cut", "model": "open", """);

        var (code, _, err) = await CdnloadProcess.RunAsync("run", file, "--target", "http://127.0.0.1:1");

        Assert.Equal(2, code);
        Assert.Contains("truncated.json", Assert.Single(Lines(err)));
    }

    [Fact]
    public async Task An_unreachable_target_is_one_line_naming_it_and_exit_code_2()
    {
        var closed = $"http://127.0.0.1:{FreePort.OnLoopback()}";

        var (code, _, err) = await CdnloadProcess.RunAsync("run", "browse", "--target", $"ams={closed}", "--duration", "2s");

        Assert.Equal(2, code);
        var line = Assert.Single(Lines(err));
        Assert.StartsWith("cdnload: ", line);
        Assert.Contains(closed, line);
    }

    [Fact]
    public async Task A_bad_flag_value_is_exit_code_2()
    {
        var (code, _, err) = await CdnloadProcess.RunAsync("run", "browse", "--duration", "soon", "--target", "http://127.0.0.1:1");

        Assert.Equal(2, code);
        Assert.Contains("--duration 'soon'", Assert.Single(Lines(err)));
    }

    [Fact]
    public async Task Thresholds_that_hold_exit_0_and_broken_ones_exit_1_with_the_figures_in_the_report()
    {
        await using var site = await TestSite.StartAsync();
        var holding = await WriteScenarioAsync("holding", """["errors == 0", "hit_ratio > 0.9", "requests > 10"]""");
        var breaking = await WriteScenarioAsync("breaking", """["errors == 0", "p50 < 0.001ms"]""");
        var holdingJson = Path.Combine(_dir, "holding-report.json");
        var breakingJson = Path.Combine(_dir, "breaking-report.json");

        var held = await CdnloadProcess.RunAsync("run", holding, "--target", $"ams={site.Address}", "--json", holdingJson, "--plain");
        var broke = await CdnloadProcess.RunAsync("run", breaking, "--target", $"ams={site.Address}", "--json", breakingJson, "--plain");

        Assert.True(held.ExitCode == 0, $"exit {held.ExitCode}:\n{held.Out}\n{held.Err}");
        Assert.True(broke.ExitCode == 1, $"exit {broke.ExitCode}:\n{broke.Out}\n{broke.Err}");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(breakingJson));
        var thresholds = report.RootElement.GetProperty("thresholds").EnumerateArray().ToDictionary(
            t => t.GetProperty("expression").GetString()!, t => t.GetProperty("passed").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["errors == 0"] = true, ["p50 < 0.001ms"] = false }, thresholds);
        using var held_ = JsonDocument.Parse(await File.ReadAllTextAsync(holdingJson));
        Assert.True(held_.RootElement.GetProperty("total").GetProperty("requests").GetInt64() > 10);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_run_exits_130_and_still_writes_the_report_of_what_ran()
    {
        await using var site = await TestSite.StartAsync();
        var json = Path.Combine(_dir, "stopped.json");
        using var process = CdnloadProcess.Start("run", "browse", "--rate", "50", "--duration", "60s", "--target", $"ams={site.Address}", "--json", json, "--plain");
        await Eventually.TrueAsync(() => Task.FromResult(site.Requests > 50), TimeSpan.FromSeconds(30), () => "cdnload never loaded the site:\n" + process.Out + process.Err);

        process.Interrupt();
        var code = await process.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(code == 130, $"exit {code}:\n{process.Out}\n{process.Err}");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.True(report.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.InRange(report.RootElement.GetProperty("durationSeconds").GetDouble(), 0.5, 30);
        Assert.True(report.RootElement.GetProperty("total").GetProperty("requests").GetInt64() > 0);
    }

    [Fact]
    public async Task After_Ctrl_C_the_reports_are_written_whole_however_long_their_files_take()
    {
        await using var site = await TestSite.StartAsync();
        var json = Path.Combine(_dir, "stopped.json");
        // The HTML report goes to a FIFO: opening it to write waits until the test opens it to read, so the write takes
        // as long as the test likes. System.CommandLine's own Ctrl+C handling ended the process 2 s after the signal,
        // whatever was still being written (a CI run read an empty JSON report that way).
        var html = Path.Combine(_dir, "stopped.html");
        using (var mkfifo = Process.Start("mkfifo", [html]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        using var process = CdnloadProcess.Start("run", "browse", "--rate", "50", "--duration", "60s", "--target", $"ams={site.Address}",
            "--json", json, "--html", html, "--plain");
        await Eventually.TrueAsync(() => Task.FromResult(site.Requests > 50), TimeSpan.FromSeconds(30), () => "cdnload never loaded the site:\n" + process.Out + process.Err);

        process.Interrupt();
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(process.HasExited, $"cdnload ended before its HTML report was read:\n{process.Out}\n{process.Err}");
        var page = await File.ReadAllTextAsync(html);
        var code = await process.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(code == 130, $"exit {code}:\n{process.Out}\n{process.Err}");
        Assert.EndsWith("</html>", page.TrimEnd());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.True(report.RootElement.GetProperty("interrupted").GetBoolean());
    }

    [Fact]
    public async Task Trace_writes_every_request_of_the_measured_load_with_latency_never_below_service_time()
    {
        await using var site = await TestSite.StartAsync();
        var scenario = await WriteScenarioAsync("traced", "[]");
        var json = Path.Combine(_dir, "traced.json");
        var trace = Path.Combine(_dir, "traced.csv");

        var run = await CdnloadProcess.RunAsync("run", scenario, "--target", $"ams={site.Address}", "--json", json, "--trace", trace, "--plain");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}:\n{run.Out}\n{run.Err}");
        var lines = await File.ReadAllLinesAsync(trace);
        Assert.Equal("due_s,pop,method,path,status,error,latency_ms,service_ms", lines[0]);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        // The warm-up's sitemap reads are not in it: one line per request the report counts.
        Assert.Equal(report.RootElement.GetProperty("total").GetProperty("requests").GetInt64(), lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal(("ams", "GET", "200", ""), (cells[1], cells[2], cells[4], cells[5]));
            Assert.StartsWith("/", cells[3]);
            var (due, latency, service) = (double.Parse(cells[0], CultureInfo.InvariantCulture), double.Parse(cells[6], CultureInfo.InvariantCulture), double.Parse(cells[7], CultureInfo.InvariantCulture));
            Assert.InRange(due, 0, 3);
            Assert.True(service > 0 && latency >= service, line);
        }
    }

    [Fact]
    public async Task List_names_the_four_built_in_scenarios_and_show_prints_one_that_runs_as_a_file()
    {
        var (code, output, _) = await CdnloadProcess.RunAsync("list");
        var (showCode, shown, _) = await CdnloadProcess.RunAsync("show", "sale-peak");

        Assert.Equal((0, 0), (code, showCode));
        Assert.Equal(["browse", "dc-drill", "purge-storm", "sale-peak"], Lines(output).Select(l => l.Split(' ')[0]).Order());
        var copy = Path.Combine(_dir, "sale-peak.json");
        await File.WriteAllTextAsync(copy, shown);
        Assert.Equal("sale-peak", CdnPlatform.LoadTest.Scenarios.BuiltInScenarios.Resolve(copy).Name);
    }

    private async Task<string> WriteScenarioAsync(string name, string thresholds)
    {
        var file = Path.Combine(_dir, name + ".json");
        await File.WriteAllTextAsync(file, $$"""
            { "name": "{{name}}", "model": "open", "rate": 40, "duration": "2s", "pages": 21, "thresholds": {{thresholds}} }
            """);
        return file;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
