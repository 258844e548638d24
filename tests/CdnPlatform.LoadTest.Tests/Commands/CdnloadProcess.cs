using System.Diagnostics;
using System.Text;

namespace CdnPlatform.LoadTest.Tests.Commands;

/// <summary>
/// cdnload as users run it: its own process (the build next to the tests), its exit code, what it wrote on stdout and
/// stderr, and signals sent to it as a terminal would.
/// </summary>
internal sealed class CdnloadProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private CdnloadProcess(Process process)
    {
        _process = process;
    }

    public string Out
    {
        get { lock (_out) { return _out.ToString(); } }
    }

    public string Err
    {
        get { lock (_err) { return _err.ToString(); } }
    }

    public static CdnloadProcess Start(params string[] arguments)
    {
        // Through env --default-signal: a test run started in the background (`scripts/test.sh &`, some CI runners)
        // has SIGINT ignored, children inherit that, and .NET then leaves it ignored, as it should for nohup. A user's
        // terminal gives the tool SIGINT at its default; so does this.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cdnload.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing from the machine's environment may choose a control plane or keys for the tool under test.
        start.Environment.Remove("CDN_CONTROL");
        start.Environment.Remove("CDN_API_KEY");
        start.Environment.Remove("CDN_CMS_KEY");
        var process = new Process { StartInfo = start };
        var running = new CdnloadProcess(process);
        process.OutputDataReceived += (_, e) => running.Append(running._out, e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(running._err, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Runs it to its end and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var code = await process.WaitAsync(TimeSpan.FromSeconds(90));
        return (code, process.Out, process.Err);
    }

    public async Task<int> WaitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cdnload did not end within {patience}; it wrote:\n{Out}\n{Err}");
        }
        // The exit event can come before the last lines of output are read.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What Ctrl+C in a terminal sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -INT {_process.Id} failed with {kill.ExitCode}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (to)
        {
            to.AppendLine(line);
        }
    }
}
