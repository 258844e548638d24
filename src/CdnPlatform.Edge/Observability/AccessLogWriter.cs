using System.Buffers;
using System.Buffers.Text;
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
    private readonly JsonEncodedText _popText;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessLogWriter> _logger;
    private readonly ConcurrentQueue<AccessLogEntry> _queue = new();
    private long _queued;
    private long _dropped;
    private long _written;

    public AccessLogWriter(EdgeOptions options, TimeProvider time, ILogger<AccessLogWriter> logger)
    {
        _options = options.AccessLog;
        _popText = JsonEncodedText.Encode(options.Name);
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

    /// <summary>Drops what is queued, as the writer would take it: for bench/hitpath, which runs no writer.</summary>
    internal void DrainForBenchmark()
    {
        while (_queue.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        await using var output = _options.Path == AccessLogOptions.StandardOutput
            ? Console.OpenStandardOutput()
            : new FileStream(_options.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        // Lines are made in memory, synchronously, and reach the stream in one write per round: per line there is no
        // task, no flush and no string.
        var lines = new ArrayBufferWriter<byte>(256 * 1024);
        await using var json = new Utf8JsonWriter(lines, new JsonWriterOptions { SkipValidation = true });
        // Real time, not the injected clock: how often lines reach the disk is not part of what a test moves.
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteQueuedAsync(output, lines, json);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // What the last requests queued before the edge stopped.
        await WriteQueuedAsync(output, lines, json);
    }

    private async Task WriteQueuedAsync(Stream output, ArrayBufferWriter<byte> lines, Utf8JsonWriter json)
    {
        while (!_queue.IsEmpty)
        {
            var count = 0;
            // A round's lines in batches of at most about a megabyte.
            while (lines.WrittenCount < 1024 * 1024 && _queue.TryDequeue(out var entry))
            {
                Interlocked.Decrement(ref _queued);
                Write(json, entry);
                json.Flush();
                json.Reset(lines);
                lines.Write(NewLine);
                count++;
            }
            try
            {
                await output.WriteAsync(lines.WrittenMemory);
                await output.FlushAsync();
            }
            catch (IOException e)
            {
                Log.WriteFailed(_logger, _options.Path, e);
            }
            lines.ResetWrittenCount();
            Interlocked.Add(ref _written, count);
        }
    }

    // Names and the few values every line repeats are encoded once: a line then costs its variable parts only.
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Pop = JsonEncodedText.Encode("pop");
    private static readonly JsonEncodedText Site = JsonEncodedText.Encode("site");
    private static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText PathName = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Bytes = JsonEncodedText.Encode("bytes");
    private static readonly JsonEncodedText Cache = JsonEncodedText.Encode("cache");
    private static readonly JsonEncodedText OriginMs = JsonEncodedText.Encode("originMs");
    private static readonly JsonEncodedText TotalMs = JsonEncodedText.Encode("totalMs");
    private static readonly JsonEncodedText Client = JsonEncodedText.Encode("client");
    private static readonly JsonEncodedText[] CacheTokens =
        [.. Enumerable.Range(0, CacheOutcomes.Count).Select(i => JsonEncodedText.Encode(CacheOutcomes.Token((CacheOutcome)i)))];

    // Sites and methods come from a handful of strings (the configuration's, Kestrel's interned methods).
    private readonly Dictionary<string, JsonEncodedText> _encoded = new(StringComparer.Ordinal);

    private JsonEncodedText Encoded(string value)
    {
        if (!_encoded.TryGetValue(value, out var encoded))
        {
            encoded = JsonEncodedText.Encode(value);
            if (_encoded.Count < 1024)
            {
                _encoded[value] = encoded;
            }
        }
        return encoded;
    }

    internal void Write(Utf8JsonWriter json, in AccessLogEntry entry)
    {
        json.WriteStartObject();
        WriteTime(json, entry.Time);
        json.WriteString(Pop, _popText);
        json.WriteString(Site, Encoded(entry.Site));
        json.WriteString(Method, Encoded(entry.Method));
        json.WriteString(PathName, entry.Path);
        json.WriteNumber(Status, entry.Status);
        if (entry.Bytes is { } bytes)
        {
            json.WriteNumber(Bytes, bytes);
        }
        else
        {
            json.WriteNull(Bytes);
        }
        json.WriteString(Cache, CacheTokens[(int)entry.Cache]);
        if (entry.OriginTime is { } origin)
        {
            WriteMilliseconds(json, OriginMs, origin);
        }
        else
        {
            json.WriteNull(OriginMs);
        }
        WriteMilliseconds(json, TotalMs, entry.TotalTime);
        if (entry.Client is { } client)
        {
            json.WriteString(Client, Encoded(client));
        }
        else
        {
            json.WriteNull(Client);
        }
        json.WriteEndObject();
    }

    // The second's digits are made once per second; a line adds its milliseconds (ISO 8601, UTC: 2026-12-06T18:30:00.123Z).
    private long _second = -1;
    private readonly byte[] _secondText = new byte[32];
    private int _secondLength;

    private void WriteTime(Utf8JsonWriter json, DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        var second = ticks / TimeSpan.TicksPerSecond;
        if (second != _second)
        {
            _second = second;
            _secondText[0] = (byte)'"';
            new DateTime(second * TimeSpan.TicksPerSecond, DateTimeKind.Utc).TryFormat(_secondText.AsSpan(1), out var written, "yyyy-MM-ddTHH:mm:ss",
                System.Globalization.CultureInfo.InvariantCulture);
            _secondLength = 1 + written;
        }
        Span<byte> text = stackalloc byte[40];
        _secondText.AsSpan(0, _secondLength).CopyTo(text);
        var millis = ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond;
        var at = _secondLength;
        text[at++] = (byte)'.';
        text[at++] = (byte)('0' + millis / 100);
        text[at++] = (byte)('0' + millis / 10 % 10);
        text[at++] = (byte)('0' + millis % 10);
        text[at++] = (byte)'Z';
        text[at++] = (byte)'"';
        json.WritePropertyName(Time);
        json.WriteRawValue(text[..at], skipInputValidation: true);
    }

    // Clients repeat: an IPv4 address's text is kept by its value (a connection's requests, a NAT's visitors).
    private readonly Dictionary<uint, JsonEncodedText> _addresses = [];

    private JsonEncodedText Encoded(System.Net.IPAddress client)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (client.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !client.TryWriteBytes(bytes, out _))
        {
            return JsonEncodedText.Encode(client.ToString());
        }
        var key = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (!_addresses.TryGetValue(key, out var text))
        {
            if (_addresses.Count >= 65_536)
            {
                _addresses.Clear();
            }
            _addresses[key] = text = JsonEncodedText.Encode(client.ToString());
        }
        return text;
    }

    // Milliseconds to the microsecond (3.412), written as fixed-point digits: formatting a double costs more than the
    // rest of the line.
    private static void WriteMilliseconds(Utf8JsonWriter json, JsonEncodedText name, TimeSpan time)
    {
        var micros = Math.Max(0, time.Ticks / 10);
        Span<byte> digits = stackalloc byte[32];
        Utf8Formatter.TryFormat(micros / 1000, digits, out var whole);
        digits[whole] = (byte)'.';
        var fraction = micros % 1000;
        digits[whole + 1] = (byte)('0' + fraction / 100);
        digits[whole + 2] = (byte)('0' + fraction / 10 % 10);
        digits[whole + 3] = (byte)('0' + fraction % 10);
        json.WritePropertyName(name);
        json.WriteRawValue(digits[..(whole + 4)], skipInputValidation: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The access log {Path} could not be written")]
        public static partial void WriteFailed(ILogger logger, string path, Exception exception);
    }
}
