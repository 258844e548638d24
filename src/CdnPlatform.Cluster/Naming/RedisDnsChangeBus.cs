using System.Text.Json;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Naming;

/// <summary>
/// DNS change signals over Redis pub/sub on <c>&lt;prefix&gt;:dns:changed</c>, on the connection the purge log
/// uses. Nothing is stored: a signal no edge was subscribed for is gone, which the TTL covers.
/// </summary>
public sealed partial class RedisDnsChangeBus : IDnsChangeBus
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;

    public RedisDnsChangeBus(IConnectionMultiplexer connection, string keyPrefix = "cdn", ILogger<RedisDnsChangeBus>? logger = null)
    {
        _connection = connection;
        _channel = new RedisChannel(keyPrefix + ":dns:changed", RedisChannel.PatternMode.Literal);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Transport => "redis";

    public Task PublishAsync(DnsChange change, CancellationToken cancellationToken = default) =>
        _connection.GetSubscriber().PublishAsync(_channel, JsonSerializer.SerializeToUtf8Bytes(change, ClusterJsonContext.Default.DnsChange));

    public Task<IAsyncDisposable> SubscribeAsync(Func<DnsChange, Task> onChange, CancellationToken cancellationToken = default) =>
        RedisSubscription.SubscribeAsync(_connection, _channel, onChange, Parse, _logger);

    private DnsChange? Parse(RedisValue value)
    {
        try
        {
            var change = JsonSerializer.Deserialize((byte[])value!, ClusterJsonContext.Default.DnsChange);
            // JSON without the member deserializes with a null list.
            return change is { Zones: not null } ? change : null;
        }
        catch (JsonException e)
        {
            Log.Malformed(_logger, e);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Dropped a malformed DNS change signal")]
        public static partial void Malformed(ILogger logger, Exception exception);
    }
}
