using System.Collections.Concurrent;
using System.Text.Json;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Writes the access log (<see cref="AccessLogOptions"/>) off the request path: a request queues its entry (no lock,
/// no I/O, no formatting) and this writer formats and writes what queued every tenth of a second. A full queue drops
/// the new line and counts it instead of slowing requests down.
/// </summary>
internal sealed partial class AccessLogWriter : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly AccessLogOptions _options;
    private readonly string _pop;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessLogWriter> _logger;
    private readonly ConcurrentQueue<AccessLogEntry> _queue = new();
    private long _queued;
    private long _dropped;
    private long _written;

    public AccessLogWriter(EdgeOptions options, TimeProvider time, ILogger<AccessLogWriter> logger)
    {
        _options = options.AccessLog;
        _pop = options.Name;
        _time = time;
        _logger = logger;
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Whether a request answered with <paramref name="status"/> is one the sample takes.</summary>
    public bool Samples(int status) =>
        _options.SampleRate >= 1 || (status >= 500 && _options.AlwaysLogErrors) || Random.Shared.NextDouble() < _options.SampleRate;

    public void Enqueue(in AccessLogEntry entry)
    {
        if (Interlocked.Increment(ref _queued) > _options.QueueLength)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(entry);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        await using var output = _options.Path == AccessLogOptions.StandardOutput
            ? Console.OpenStandardOutput()
            : new FileStream(_options.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        // Real time, not the injected clock: how often lines reach the disk is not part of what a test moves.
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteQueuedAsync(output, json);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // What the last requests queued before the edge stopped.
        await WriteQueuedAsync(output, json);
    }

    private async Task WriteQueuedAsync(Stream output, Utf8JsonWriter json)
    {
        var lines = 0;
        while (_queue.TryDequeue(out var entry))
        {
            Interlocked.Decrement(ref _queued);
            Write(json, entry);
            await json.FlushAsync();
            json.Reset();
            await output.WriteAsync(NewLine);
            lines++;
        }
        if (lines > 0)
        {
            try
            {
                await output.FlushAsync();
            }
            catch (IOException e)
            {
                Log.WriteFailed(_logger, _options.Path, e);
            }
            Interlocked.Add(ref _written, lines);
        }
    }

    private void Write(Utf8JsonWriter json, in AccessLogEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("time", entry.Time.UtcDateTime);
        json.WriteString("pop", _pop);
        json.WriteString("site", entry.Site);
        json.WriteString("method", entry.Method);
        json.WriteString("path", entry.Path);
        json.WriteNumber("status", entry.Status);
        if (entry.Bytes is { } bytes)
        {
            json.WriteNumber("bytes", bytes);
        }
        else
        {
            json.WriteNull("bytes");
        }
        json.WriteString("cache", CacheOutcomes.Token(entry.Cache));
        if (entry.OriginTime is { } origin)
        {
            json.WriteNumber("originMs", Math.Round(origin.TotalMilliseconds, 3));
        }
        else
        {
            json.WriteNull("originMs");
        }
        json.WriteNumber("totalMs", Math.Round(entry.TotalTime.TotalMilliseconds, 3));
        json.WriteString("client", entry.Client?.ToString());
        json.WriteEndObject();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The access log {Path} could not be written")]
        public static partial void WriteFailed(ILogger logger, string path, Exception exception);
    }
}
