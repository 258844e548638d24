using System.Globalization;
using System.Text.Json;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// The purge log in Redis: a stream whose entry IDs are <c>0-&lt;sequence&gt;</c>, a counter, a hash of
/// applied marks, and pub/sub for announcements and acknowledgements. Reads use the client's stream and hash
/// calls; a Lua script is left only where several steps must happen as one (the append and its
/// announcement, a mark that only moves forward). Every Redis failure leaves as
/// <see cref="PurgeLogUnavailableException"/>, so callers need not know the transport.
/// Durability is Redis's: run it with AOF and <c>appendfsync always</c> (see README) so an accepted
/// purge survives a Redis crash.
/// </summary>
public sealed partial class RedisPurgeBus : IPurgeBus
{
    // A script because counting, appending (XADD trims with its own MAXLEN) and announcing must be one step:
    // two publishers could otherwise add 6 before 5, which XADD refuses, and announcements would leave out of
    // log order. The announcement is "<seq> <entry>" so a reader right behind need not read the entry back;
    // an entry over the size limit is announced as "<seq>" alone.
    private const string AppendScript = """
        local seq = redis.call('INCR', KEYS[2])
        redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'm', ARGV[1])
        if #ARGV[1] <= tonumber(ARGV[4]) then
            redis.call('PUBLISH', ARGV[3], seq .. ' ' .. ARGV[1])
        else
            redis.call('PUBLISH', ARGV[3], seq)
        end
        return seq
        """;

    /// <summary>Entries up to this many bytes of JSON travel inside their announcement.</summary>
    public const int DefaultAnnounceLimit = 64 * 1024;

    // A script because the mark only moves forward (an old edge process may write late) and Redis has no
    // "set this field if greater": read, compare and write must be one step. A first mark of 0 (an empty
    // log) is recorded too, or a restart would not know the edge had started before any purge.
    private const string SaveAppliedScript = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if not current or tonumber(ARGV[2]) > tonumber(current) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        return 1
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisKey _logKey;
    private readonly RedisKey _sequenceKey;
    private readonly RedisKey _appliedKey;
    private readonly RedisChannel _announceChannel;
    private readonly RedisChannel _ackChannel;
    private readonly int _maxEntries;
    private readonly int _announceLimit;
    private readonly ILogger _logger;

    public RedisPurgeBus(IConnectionMultiplexer connection, string keyPrefix = "cdn", ILogger<RedisPurgeBus>? logger = null,
        int maxEntries = 1_000_000, int announceLimit = DefaultAnnounceLimit)
    {
        _connection = connection;
        _logKey = keyPrefix + ":purge:log";
        _sequenceKey = keyPrefix + ":purge:seq";
        _appliedKey = keyPrefix + ":purge:applied";
        _announceChannel = new RedisChannel(keyPrefix + ":purge:announce", RedisChannel.PatternMode.Literal);
        _ackChannel = new RedisChannel(keyPrefix + ":purge-ack", RedisChannel.PatternMode.Literal);
        _maxEntries = maxEntries;
        _announceLimit = announceLimit;
        _logger = logger ?? NullLogger<RedisPurgeBus>.Instance;
    }

    public string Transport => "redis";

    public async Task<PurgeMessage> PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.Serialize(purge with { Sequence = 0 }, ClusterJsonContext.Default.PurgeMessage);
        var result = await Guard(() => _connection.GetDatabase().ScriptEvaluateAsync(AppendScript,
            [_logKey, _sequenceKey],
            [payload, _maxEntries, (string)_announceChannel!, _announceLimit]));
        return purge with { Sequence = (long)result };
    }

    public async Task<PurgeLogSlice> ReadAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        // Sent as one batch and run in this order, but not atomically, and it need not be: the entries are
        // read before the oldest one, and the lower of the two is reported, so a trim landing in between
        // cannot show a gap that the entries themselves disprove. With nothing after the mark, a trim past
        // the mark is a real gap.
        var (raw, oldest, counter) = await Guard(async () =>
        {
            var batch = _connection.GetDatabase().CreateBatch();
            var read = batch.StreamReadAsync(_logKey, EntryId(afterSequence), max);
            var first = batch.StreamRangeAsync(_logKey, "-", "+", count: 1);
            var last = batch.StringGetAsync(_sequenceKey);
            batch.Execute();
            return (await read, await first, await last);
        });

        var firstAvailable = oldest.Length > 0 ? SequenceOf(oldest[0].Id) : 0;
        if (raw.Length > 0)
        {
            firstAvailable = firstAvailable == 0 ? SequenceOf(raw[0].Id) : Math.Min(firstAvailable, SequenceOf(raw[0].Id));
        }
        var entries = new List<PurgeMessage>(raw.Length);
        foreach (var entry in raw)
        {
            // An entry holds one field: the purge as JSON.
            if (TryParseEntry(entry.Values.Length > 0 ? (string?)entry.Values[0].Value : null) is not { } message)
            {
                // Not a purge anyone can apply: skipped, so it never blocks the entries after it.
                Log.MalformedEntry(_logger, entry.Id.ToString());
                continue;
            }
            entries.Add(message with { Sequence = SequenceOf(entry.Id) });
        }
        return new PurgeLogSlice(entries, firstAvailable, counter.IsNull ? 0 : (long)counter);
    }

    public Task<IAsyncDisposable> SubscribeAnnouncementsAsync(Func<PurgeAnnouncement, Task> onAppended, CancellationToken cancellationToken = default) =>
        SubscribeAsync(_announceChannel, onAppended, value => ParseAnnouncement((string?)value));

    public Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default) =>
        Guard(() => _connection.GetSubscriber().PublishAsync(_ackChannel, JsonSerializer.SerializeToUtf8Bytes(ack, ClusterJsonContext.Default.PurgeAck)));

    public Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default) =>
        SubscribeAsync(_ackChannel, onAck, ParseAck);

    // Redis's failures leave as PurgeLogUnavailableException here too, as from every other call.
    private Task<IAsyncDisposable> SubscribeAsync<T>(RedisChannel channel, Func<T, Task> handler, Func<RedisValue, T?> parse)
        where T : class =>
        RedisSubscription.SubscribeAsync(_connection, channel, handler, parse, _logger, Guard);

    private PurgeAck? ParseAck(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize((byte[])value!, ClusterJsonContext.Default.PurgeAck);
        }
        catch (JsonException e)
        {
            Log.MalformedAck(_logger, e);
            return null;
        }
    }

    public async Task<long?> LoadAppliedAsync(string edge, CancellationToken cancellationToken = default)
    {
        var value = await Guard(() => _connection.GetDatabase().HashGetAsync(_appliedKey, edge));
        return value.IsNull ? null : (long)value;
    }

    public Task SaveAppliedAsync(string edge, long sequence, CancellationToken cancellationToken = default) =>
        Guard(() => _connection.GetDatabase().ScriptEvaluateAsync(SaveAppliedScript, [_appliedKey], [edge, sequence]));

    public async Task<IReadOnlyDictionary<string, long>> LoadAllAppliedAsync(CancellationToken cancellationToken = default)
    {
        var entries = await Guard(() => _connection.GetDatabase().HashGetAllAsync(_appliedKey));
        return entries.ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);
    }

    private static PurgeMessage? TryParseEntry(string? json)
    {
        try
        {
            var message = json is null ? null : JsonSerializer.Deserialize(json, ClusterJsonContext.Default.PurgeMessage);
            // JSON without the required members deserializes with nulls in non-nullable properties.
            return message is { Id: not null, Site: not null, Urls: not null, Prefixes: not null, Tags: not null } ? message : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>"&lt;seq&gt;" or "&lt;seq&gt; &lt;entry JSON&gt;"; an entry that does not parse still announces its sequence.</summary>
    internal static PurgeAnnouncement? ParseAnnouncement(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var space = value.IndexOf(' ');
        var sequenceText = space < 0 ? value.AsSpan() : value.AsSpan(0, space);
        if (!long.TryParse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence <= 0)
        {
            return null;
        }
        var purge = space < 0 ? null : TryParseEntry(value[(space + 1)..]);
        return new PurgeAnnouncement(sequence, purge is null ? null : purge with { Sequence = sequence });
    }

    /// <summary>Entry IDs are <c>0-&lt;sequence&gt;</c>: the sequence is the ID, in the form Redis orders.</summary>
    private static RedisValue EntryId(long sequence) => string.Create(CultureInfo.InvariantCulture, $"0-{sequence}");

    private static long SequenceOf(RedisValue id)
    {
        var text = (string)id!;
        return long.Parse(text.AsSpan(text.IndexOf('-') + 1), CultureInfo.InvariantCulture);
    }

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException
            || (e is RedisServerException && e.Message.StartsWith("LOADING", StringComparison.Ordinal)))
        {
            throw new PurgeLogUnavailableException($"the purge log in Redis is unavailable: {e.Message}", e);
        }
    }

    private static async Task Guard(Func<Task> operation)
    {
        await Guard(async () =>
        {
            await operation();
            return true;
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Skipped an unreadable purge log entry {EntryId}")]
        public static partial void MalformedEntry(ILogger logger, string entryId);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Dropped a malformed acknowledgement")]
        public static partial void MalformedAck(ILogger logger, Exception exception);
    }
}
