using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Transport;

/// <summary>A Redis channel's messages handed to one async handler, parsed, one at a time, in the order Redis sent them.</summary>
internal static class RedisSubscription
{
    /// <summary>
    /// The queue form of subscribe keeps Redis's order; the callback form runs callbacks unordered. A message
    /// that does not parse (<paramref name="parse"/> returns null) is skipped. <paramref name="guard"/> wraps
    /// the Redis calls, so a caller can turn Redis's failures into its own.
    /// </summary>
    public static async Task<IAsyncDisposable> SubscribeAsync<T>(IConnectionMultiplexer connection, RedisChannel channel, Func<T, Task> handler,
        Func<RedisValue, T?> parse, ILogger logger, Func<Func<Task>, Task>? guard = null)
        where T : class
    {
        guard ??= static operation => operation();
        ChannelMessageQueue? queue = null;
        await guard(async () => queue = await connection.GetSubscriber().SubscribeAsync(channel));
        var dispatcher = new OrderedDispatcher<T>(handler, logger, () => new ValueTask(guard(() => queue!.UnsubscribeAsync())));
        queue!.OnMessage(message =>
        {
            if (parse(message.Message) is { } parsed)
            {
                dispatcher.Post(parsed);
            }
        });
        return dispatcher;
    }
}
