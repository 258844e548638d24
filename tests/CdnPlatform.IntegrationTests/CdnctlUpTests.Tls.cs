using System.Diagnostics;
using System.Text.RegularExpressions;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary><c>cdnctl up --tls</c> as a user runs it: the printed CA and https address are all curl needs for HTTP/2.</summary>
public sealed partial class CdnctlUpTests
{
    [Fact]
    public async Task UpWithTls_EdgesServeHttp2_WithACertificateOfThePrintedCa()
    {
        var cdnctl = Path.Combine(AppContext.BaseDirectory, "cdnctl.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cdnctl, "up", "--port", "0", "--control-port", "0", "--dns-port", "0", "--tls", "--tls-port", "0" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            var output = new List<string>();
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null && !line.StartsWith("Ctrl+C", StringComparison.Ordinal))
            {
                output.Add(line);
            }
            var text = string.Join('\n', output);
            var ca = CaLine().Match(text).Groups[1].Value;
            Assert.True(File.Exists(ca), text);
            var https = new Uri(HttpsEdgeLine().Match(text).Groups[1].Value);
            Assert.Equal("127.0.10.1", https.Host);

            var curl = await Curl.RunAsync("--http2", "--cacert", ca, "--resolve", $"www.shop.test:{https.Port}:{https.Host}",
                "-o", "/dev/null", "-w", "%{http_version} %{http_code}", $"https://www.shop.test:{https.Port}/");
            Assert.True(curl.ExitCode == 0, curl.ToString());
            Assert.Equal("2 200", curl.Output);

            using (var interrupt = Process.Start("kill", [StopSignal(process.Id), process.Id.ToString()]))
            {
                await interrupt.WaitForExitAsync();
            }
            await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            // The test CA's files go with the network.
            Assert.False(File.Exists(ca));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"https\s+ams\s+(https://\S+)")]
    private static partial Regex HttpsEdgeLine();

    [GeneratedRegex(@"tls\s+test CA\s+(\S+)")]
    private static partial Regex CaLine();
}
