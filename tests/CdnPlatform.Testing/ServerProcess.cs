using System.Diagnostics;
using System.Text;

namespace CdnPlatform.Testing;

/// <summary>
/// A real server program a fixture runs for its tests (redis-server, named): started and awaited until it
/// answers, killed like a crash (SIGKILL) and started again the same way, its stdout and stderr kept for the
/// failure message. Start and stop take turns, so a test that restarts it never races itself.
/// </summary>
public sealed class ServerProcess(string name, Func<ProcessStartInfo> startInfo, Func<Task<bool>> answers, TimeSpan patience) : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;

    /// <summary>True between a successful start and the next stop.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything it wrote, across every start.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The program's path: the first of <paramref name="usual"/> that exists, else from PATH; null when not installed.</summary>
    public static string? Find(string program, params string[] usual) =>
        usual.FirstOrDefault(File.Exists)
        ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, program)).FirstOrDefault(File.Exists);

    /// <summary>Starts it (again) and returns once it answers; does nothing while it runs.</summary>
    public async Task StartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (IsRunning)
            {
                return;
            }
            _process?.Dispose();
            var start = startInfo();
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
            _process = process;
            process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var started = Stopwatch.GetTimestamp();
            while (!await answers())
            {
                if (process.HasExited || Stopwatch.GetElapsedTime(started) > patience)
                {
                    throw new InvalidOperationException($"{name} did not answer:\n{Output}");
                }
                await Task.Delay(50);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Kills it (SIGKILL, nothing flushed on the way out) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>SIGSTOP: it keeps its sockets and memory and answers nothing, as a stalled host does (a fork, a frozen VM).</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>: it goes on with what it was sent meanwhile.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var process = _process is { HasExited: false } running ? running : throw new InvalidOperationException($"{name} is not running");
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
