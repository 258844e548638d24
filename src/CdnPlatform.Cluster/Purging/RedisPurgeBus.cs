using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// Purges and acknowledgements over Redis pub/sub. Pub/sub delivers only to subscribers connected at the
/// moment of publishing; the durable purge log that lets a reconnecting edge catch up is a separate
/// capability (issue 4) and will sit beside these channels.
/// </summary>
public sealed partial class RedisPurgeBus : IPurgeBus
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisChannel _purgeChannel;
    private readonly RedisChannel _ackChannel;
    private readonly ILogger _logger;

    public RedisPurgeBus(IConnectionMultiplexer connection, string channelPrefix = "cdn", ILogger<RedisPurgeBus>? logger = null)
    {
        _connection = connection;
        _purgeChannel = new RedisChannel(channelPrefix + ":purge", RedisChannel.PatternMode.Literal);
        _ackChannel = new RedisChannel(channelPrefix + ":purge-ack", RedisChannel.PatternMode.Literal);
        _logger = logger ?? NullLogger<RedisPurgeBus>.Instance;
    }

    public string Transport => "redis";

    public Task PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default)
        => PublishAsync(_purgeChannel, purge, ClusterJsonContext.Default.PurgeMessage);

    public Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default)
        => PublishAsync(_ackChannel, ack, ClusterJsonContext.Default.PurgeAck);

    public Task<IAsyncDisposable> SubscribePurgesAsync(Func<PurgeMessage, Task> onPurge, CancellationToken cancellationToken = default)
        => SubscribeAsync(_purgeChannel, onPurge, ClusterJsonContext.Default.PurgeMessage);

    public Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default)
        => SubscribeAsync(_ackChannel, onAck, ClusterJsonContext.Default.PurgeAck);

    private async Task PublishAsync<T>(RedisChannel channel, T message, JsonTypeInfo<T> typeInfo)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);
        await _connection.GetSubscriber().PublishAsync(channel, payload);
    }

    private async Task<IAsyncDisposable> SubscribeAsync<T>(RedisChannel channel, Func<T, Task> handler, JsonTypeInfo<T> typeInfo)
    {
        var subscriber = _connection.GetSubscriber();
        Action<RedisChannel, RedisValue>? onMessage = null;
        var dispatcher = new OrderedDispatcher<T>(handler, _logger, async () => await subscriber.UnsubscribeAsync(channel, onMessage));
        onMessage = (_, value) =>
        {
            T? message;
            try
            {
                message = JsonSerializer.Deserialize((byte[])value!, typeInfo);
            }
            catch (JsonException e)
            {
                Log.MalformedMessage(_logger, channel.ToString(), e);
                return;
            }
            if (message is not null)
            {
                dispatcher.Post(message);
            }
        };
        await subscriber.SubscribeAsync(channel, onMessage);
        return dispatcher;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Dropped a malformed message on {Channel}")]
        public static partial void MalformedMessage(ILogger logger, string channel, Exception exception);
    }
}
