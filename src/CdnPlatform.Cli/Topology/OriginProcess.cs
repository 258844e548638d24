using System.Diagnostics;
using System.Net;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// An origin node in a process of its own (<c>dotnet CdnPlatform.Origin.dll</c> with the same arguments an
/// in-process node gets), so that it can die as a real host does: <see cref="Kill"/> is a SIGKILL, with
/// whatever it had in flight. Its state must then live in the datacenter's Redis, which is why
/// <c>--origin-processes</c> needs <c>--redis auto</c>.
/// </summary>
public sealed class OriginProcess : ILocalNode
{
    private static readonly TimeSpan ReadyPatience = TimeSpan.FromSeconds(60);

    private readonly ProcessStartInfo _start;
    private readonly ChildProcessOutput _output;
    private Process _process;

    private OriginProcess(ProcessStartInfo start, Process process, string url, Action<string>? echo)
    {
        _start = start;
        _process = process;
        Url = url;
        _output = new ChildProcessOutput(echo);
    }

    public string Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the node on <paramref name="address"/>:<paramref name="port"/> (0: a free port of that address) and waits until it is ready.</summary>
    /// <param name="settings">Its configuration arguments, without <c>--urls</c>.</param>
    /// <param name="echo">Given each line the node prints, as it comes (across restarts), if set.</param>
    public static async Task<OriginProcess> StartAsync(string address, int port, IEnumerable<string> settings, CancellationToken cancellationToken,
        Action<string>? echo = null)
    {
        var url = $"http://{address}:{(port == 0 ? FreePort(address) : port)}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CdnPlatform.Origin.dll"));
        foreach (var arg in (string[])["--urls", url, .. settings])
        {
            start.ArgumentList.Add(arg);
        }
        var node = new OriginProcess(start, Launch(start), url, echo);
        node.Capture();
        await node.WaitUntilReadyAsync(cancellationToken);
        return node;
    }

    /// <summary>SIGTERM, and waits for it to exit: the host stops in order, finishing what it has in flight.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            await _process.WaitForExitAsync();
        }
    }

    public Task KillAsync()
    {
        Kill();
        return Task.CompletedTask;
    }

    Task ILocalNode.RestartAsync() => RestartAsync();

    /// <summary>SIGKILL: no shutdown, connections in flight are cut, nothing flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>
    /// Stops the node in order (SIGTERM; nothing if it is already dead) and starts it again on the same URL from
    /// the same arguments, as a deploy restarts a host; returns once it is ready.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        _process.Dispose();
        _process = Launch(_start);
        Capture();
        await WaitUntilReadyAsync(cancellationToken);
    }

    private static Process Launch(ProcessStartInfo start) =>
        Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet CdnPlatform.Origin.dll");

    private void Capture() => _output.Capture(_process);

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        if (!await ChildProcessOutput.UntilHealthyAsync(Url + "/healthz", _process, ReadyPatience, cancellationToken))
        {
            throw new InvalidOperationException($"the origin process for {Url} did not get ready:\n{_output}");
        }
    }

    /// <summary>A port nothing listens on at <paramref name="address"/> now (TCP; the same number is free for UDP in practice).</summary>
    public static int FreePort(string address) => PortPicker.Pick(IPAddress.Parse(address));

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
