using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Cluster.Transport;

/// <summary>
/// Hands messages to one async handler one at a time, in arrival order. Transports deliver on their own
/// threads (Redis's reader, a publisher's call stack); queueing here keeps a slow handler from blocking
/// them and keeps a purge from overtaking the one before it.
/// </summary>
internal sealed partial class OrderedDispatcher<T> : IAsyncDisposable
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<T, Task> _handler;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly Func<ValueTask>? _onDispose;

    public OrderedDispatcher(Func<T, Task> handler, ILogger logger, Func<ValueTask>? onDispose = null)
    {
        _handler = handler;
        _logger = logger;
        _onDispose = onDispose;
        _loop = Task.Run(RunAsync);
    }

    public void Post(T message) => _queue.Writer.TryWrite(message);

    private async Task RunAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await _handler(message);
            }
            catch (Exception e)
            {
                // A handler that throws must not stop later messages from being delivered.
                Log.HandlerFailed(_logger, typeof(T).Name, e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_onDispose is not null)
        {
            await _onDispose();
        }
        _queue.Writer.TryComplete();
        await _loop;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Handler for {MessageType} failed")]
        public static partial void HandlerFailed(ILogger logger, string messageType, Exception exception);
    }
}
