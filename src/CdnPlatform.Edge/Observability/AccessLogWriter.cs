using System.Buffers;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Writes the access log (<see cref="AccessLogOptions"/>). A request formats its line into its core's buffer
/// (<see cref="AccessLogShard"/>): no I/O, no allocation, no lock or counter shared with other cores, so logging a
/// request costs about what formatting it does. Every tenth of a second this writer takes the cores' buffers, puts
/// their lines back in the order their requests completed and writes them in one go. When the writer falls behind
/// (<see cref="AccessLogOptions.QueueLength"/> lines waiting) new lines are dropped and counted rather than slowing
/// requests down or growing memory.
/// </summary>
internal sealed partial class AccessLogWriter : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private const int OutputBytes = 1024 * 1024;

    private readonly AccessLogOptions _options;
    private readonly ILogger<AccessLogWriter> _logger;
    private readonly AccessLogShard[] _shards;
    // QueueLength shared out among the cores, so that no count is shared between them.
    private readonly int _waitingPerShard;
    private long _dropped;
    private long _written;

    public AccessLogWriter(EdgeOptions options, ILogger<AccessLogWriter> logger)
        : this(options, logger, Environment.ProcessorCount)
    {
    }

    /// <param name="shards">Buffers to spread requests over: one per core; tests that count drops pin it.</param>
    internal AccessLogWriter(EdgeOptions options, ILogger<AccessLogWriter> logger, int shards)
    {
        _options = options.AccessLog;
        _logger = logger;
        _shards = [.. Enumerable.Range(0, _options.Enabled ? shards : 0).Select(_ => new AccessLogShard(options.Name))];
        _waitingPerShard = Math.Max(1, _options.QueueLength / Math.Max(1, shards));
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Lines dropped because the writer was behind or the output refused them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Whether a request answered with <paramref name="status"/> is one the sample takes.</summary>
    public bool Samples(int status) =>
        _options.SampleRate >= 1 || (status >= 500 && _options.AlwaysLogErrors) || Random.Shared.NextDouble() < _options.SampleRate;

    /// <summary>Logs a request that completed at <paramref name="completedAt"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public void Add(in AccessLogEntry entry, long completedAt)
    {
        // The core a thread runs on can change under it; the lock, not the index, is what keeps a buffer to one writer.
        var shard = _shards[(uint)Thread.GetCurrentProcessorId() % (uint)_shards.Length];
        var length = shard.Formatter.MaxLength(entry);
        lock (shard.Gate)
        {
            if (shard.Waiting >= _waitingPerShard)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            if (!shard.HasRoom(length))
            {
                shard.StartBuffer(length);
            }
            shard.Add(entry, completedAt);
        }
    }

    private Stream? _output;
    private readonly ArrayBufferWriter<byte> _lines = new(OutputBytes);
    // One round at a time: the last one (StopAsync) can start while a round the host gave up waiting for still runs.
    private readonly SemaphoreSlim _round = new(1, 1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            // Opened here, not in ExecuteAsync (which the host may cancel before it ever runs): lines logged during a
            // start cut short still reach the file when it stops.
            _output = _options.Path == AccessLogOptions.StandardOutput
                ? Console.OpenStandardOutput()
                : new FileStream(_options.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_output is null)
        {
            return;
        }
        // Real time, not the injected clock: how often lines reach the disk is not part of what a test moves.
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteRoundAsync(_output);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_output is { } output)
        {
            // What the last requests logged before the edge stopped.
            await WriteRoundAsync(output);
            await output.DisposeAsync();
            _output = null;
        }
    }

    /// <summary>Takes every core's lines, merges them by completion and writes them.</summary>
    private async Task WriteRoundAsync(Stream output)
    {
        await _round.WaitAsync();
        try
        {
            await WriteTakenAsync(output, TakeAll());
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task WriteTakenAsync(Stream output, List<List<AccessLogChunk>> taken)
    {
        var lines = _lines;
        if (taken.Count == 0)
        {
            return;
        }
        var merge = new AccessLogMerge(taken);
        int count;
        while ((count = merge.CopyTo(lines, OutputBytes)) > 0)
        {
            try
            {
                await output.WriteAsync(lines.WrittenMemory);
                await output.FlushAsync();
                Interlocked.Add(ref _written, count);
            }
            catch (IOException e)
            {
                // Lost lines are counted as dropped: the metric is what tells ops the log has holes.
                Interlocked.Add(ref _dropped, count);
                Log.WriteFailed(_logger, _options.Path, e);
            }
            lines.ResetWrittenCount();
        }
        foreach (var chunks in taken)
        {
            foreach (var chunk in chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }
        }
    }

    // Every core's buffers at one cut, all locks held together (for a microsecond): a request's line is in this round
    // or the next as it completed before or after the cut, so one thread's lines never come out of order even when
    // it moved to another core between two requests.
    private List<List<AccessLogChunk>> TakeAll()
    {
        var taken = new List<List<AccessLogChunk>>(_shards.Length);
        foreach (var shard in _shards)
        {
            shard.Gate.Enter();
        }
        try
        {
            foreach (var shard in _shards)
            {
                if (shard.TakeAll() is { } chunks)
                {
                    taken.Add(chunks);
                }
            }
        }
        finally
        {
            foreach (var shard in _shards)
            {
                shard.Gate.Exit();
            }
        }
        return taken;
    }

    public override void Dispose()
    {
        _output?.Dispose();
        _round.Dispose();
        base.Dispose();
    }

    /// <summary>Frees the buffers the cores filled, as a round would, without writing: for bench/hitpath, which runs no writer.</summary>
    internal void DrainForBenchmark()
    {
        if (Array.Exists(_shards, s => s.FilledLines > 0))
        {
            foreach (var chunks in TakeAll())
            {
                chunks.ForEach(c => ArrayPool<byte>.Shared.Return(c.Buffer));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The access log {Path} could not be written")]
        public static partial void WriteFailed(ILogger logger, string path, Exception exception);
    }
}
