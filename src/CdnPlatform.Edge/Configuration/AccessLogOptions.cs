using System.Globalization;

namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// The edge's access log (<c>Edge:AccessLog</c>): one JSON line per request, written by a background writer so a
/// request never waits on the disk. Off unless enabled.
/// </summary>
public sealed record AccessLogOptions
{
    public const string Section = "AccessLog";

    /// <summary>What <see cref="Path"/> is set to for the process's standard output.</summary>
    public const string StandardOutput = "-";

    public bool Enabled { get; init; }

    /// <summary>A file to append to, or <c>-</c> for standard output (a container's log).</summary>
    public string Path { get; init; } = StandardOutput;

    /// <summary>The share of requests logged, 0..1: 0.01 logs one request in a hundred, at random.</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>Answers of 5xx are logged whatever the sample rate: the lines ops look for first.</summary>
    public bool AlwaysLogErrors { get; init; } = true;

    /// <summary>
    /// Lines waiting for the writer at most, shared out evenly among the cores (each formats into its own buffer);
    /// beyond, new lines are dropped and counted (<c>cdn_edge_access_log_dropped_total</c>) rather than holding
    /// requests or memory.
    /// </summary>
    public int QueueLength { get; init; } = 65_536;

    internal IEnumerable<string> Validate(string key)
    {
        if (double.IsNaN(SampleRate) || SampleRate is < 0 or > 1)
        {
            yield return $"{key}:SampleRate must be 0..1, was {SampleRate.ToString(CultureInfo.InvariantCulture)}";
        }
        if (QueueLength is < 1 or > 10_000_000)
        {
            yield return $"{key}:QueueLength must be 1..10000000, was {QueueLength}";
        }
        if (Enabled && string.IsNullOrWhiteSpace(Path))
        {
            yield return $"{key}:Path must be a file or '-' for standard output";
        }
        else if (Enabled && Path != StandardOutput && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } directory
            && !Directory.Exists(directory))
        {
            yield return $"{key}:Path '{Path}' is in a directory that does not exist ({directory})";
        }
    }
}
