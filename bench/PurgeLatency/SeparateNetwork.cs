using System.Diagnostics;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

/// <summary>
/// The network as an operator starts it, <c>cdnctl up</c> in a process of its own, so the benchmark's
/// load and its runtime (JIT, GC, thread pool) are outside the process being measured.
/// </summary>
internal sealed class SeparateNetwork : IBenchNetwork
{
    private readonly Process _process;

    private SeparateNetwork(Process process, string controlUrl, IReadOnlyList<string> edgeUrls)
    {
        _process = process;
        ControlUrl = controlUrl;
        EdgeUrls = edgeUrls;
    }

    public string ControlUrl { get; }
    public IReadOnlyList<string> EdgeUrls { get; }

    public static async Task<IBenchNetwork> StartAsync(string redis, string apiKey, string? cdnctl)
    {
        var nodePort = FreePort.On(System.Net.IPAddress.Parse(LocalNetwork.Edges[0].Address));
        var controlPort = FreePort.OnLoopback();
        var start = new ProcessStartInfo(cdnctl ?? Path.Combine(AppContext.BaseDirectory, "cdnctl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "up", "--redis", redis, "--api-key", apiKey, "--port", $"{nodePort}", "--control-port", $"{controlPort}", "--dns-port", "0" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cdnctl did not start");
        // Read what it prints so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"cdnctl: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var network = new SeparateNetwork(process, $"http://{LocalNetwork.ControlAddress}:{controlPort}",
            [.. LocalNetwork.Edges.Select(e => $"http://{e.Address}:{nodePort}")]);
        await network.WaitUntilHealthyAsync();
        return network;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        foreach (var url in EdgeUrls.Append(ControlUrl))
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"cdnctl up exited with {_process.ExitCode}");
                }
                try
                {
                    if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"{url} not healthy after 60 s");
                }
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: cdnctl stops every node in order.
            Process.Start("kill", ["-TERM", $"{_process.Id}"])?.WaitForExit();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }
}
