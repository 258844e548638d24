using System.Diagnostics;
using System.Text;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// What a child process of the local network (an origin node, a datacenter host) printed, kept to explain a start
/// that failed, and the wait until its <c>/healthz</c> answers.
/// </summary>
internal sealed class ChildProcessOutput(Action<string>? echo = null)
{
    private readonly StringBuilder _lines = new();

    /// <summary>Reads <paramref name="process"/>'s standard output and error from now on, after what an earlier one printed is dropped.</summary>
    public void Capture(Process process)
    {
        lock (_lines)
        {
            _lines.Clear();
        }
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// Polls <paramref name="healthUrl"/> until it answers 2xx: true then; false when <paramref name="process"/>
    /// exited first or <paramref name="patience"/> ran out (what it printed is in <see cref="ToString"/>).
    /// </summary>
    public static async Task<bool> UntilHealthyAsync(string healthUrl, Process process, TimeSpan patience, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(healthUrl, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return _lines.ToString();
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return; // the stream's end
        }
        lock (_lines)
        {
            _lines.AppendLine(line);
        }
        echo?.Invoke(line);
    }
}
