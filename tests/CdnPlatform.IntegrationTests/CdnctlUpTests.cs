using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>cdnctl up</c> as a user runs it: a separate process that prints the topology, serves, and stops
/// cleanly on Ctrl+C (SIGINT) or SIGTERM. Ports are 0 so the test never collides with a network someone left running.
/// </summary>
public sealed partial class CdnctlUpTests
{
    [Fact]
    public async Task Up_PrintsTopology_Serves_AndStopsCleanlyOnCtrlC()
    {
        var cdnctl = Path.Combine(AppContext.BaseDirectory, "cdnctl.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cdnctl, "up", "--port", "0", "--control-port", "0", "--dns-port", "0", "--api-key", "cli-test-key-0123456789" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            var output = new List<string>();
            string? line;
            var readUntil = DateTime.UtcNow.AddSeconds(60);
            while ((line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null)
            {
                output.Add(line);
                if (line.StartsWith("Ctrl+C", StringComparison.Ordinal) || DateTime.UtcNow > readUntil)
                {
                    break;
                }
            }
            var text = string.Join('\n', output);
            Assert.Contains("api key  cli-test-key-0123456789", text);
            foreach (var expected in new[] { "127.0.10.1", "127.0.10.2", "127.0.10.3", "127.0.21.1:", "127.0.21.2:", "127.0.21.11", "127.0.22.2:", "127.0.22.13", "127.0.0.1:" })
            {
                Assert.Contains(expected, text);
            }
            var ams = EdgeLine().Match(text).Groups[1].Value;
            Assert.NotEmpty(ams);

            using var client = new HttpClient();
            async Task<string> CacheStatus()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, ams + "/");
                request.Headers.Host = "www.shop.test";
                using var response = await client.SendAsync(request);
                return string.Join(", ", response.Headers.GetValues("Cache-Status"));
            }
            Assert.Contains("fwd=uri-miss", await CacheStatus());
            Assert.StartsWith("CdnPlatform; hit", await CacheStatus());

            using (var interrupt = Process.Start("kill", [StopSignal(process.Id), process.Id.ToString()]))
            {
                await interrupt.WaitForExitAsync();
            }
            var rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopped.", rest);
            await Assert.ThrowsAsync<HttpRequestException>(CacheStatus);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Up_WithBadRedisAddress_FailsWithAClearMessage()
    {
        var cdnctl = Path.Combine(AppContext.BaseDirectory, "cdnctl.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cdnctl, "up", "--port", "0", "--control-port", "0", "--dns-port", "0", "--redis", "" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Cluster:Redis", stderr);
    }

    /// <summary>
    /// Ctrl+C is SIGINT. A process started from a non-interactive shell's background job inherits SIGINT
    /// as ignored (POSIX), and then no handler can see it; there SIGTERM, which takes the same path in
    /// cdnctl, stands in for it.
    /// </summary>
    private static string StopSignal(int pid)
    {
        var ignored = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << 1)) == 0 ? "-INT" : "-TERM";
    }

    [GeneratedRegex(@"edge\s+ams\s+(http://\S+)")]
    private static partial Regex EdgeLine();
}
