using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Cluster.Transport;

/// <summary>
/// The in-process fan-out of one kind of message: each subscriber gets its own ordered dispatcher;
/// posting never blocks on a slow handler, and a disposed subscription receives nothing more.
/// </summary>
internal sealed class SubscriberList<T>
{
    private readonly ILogger _logger;
    private ImmutableList<OrderedDispatcher<T>> _subscribers = [];

    public SubscriberList(ILogger logger) => _logger = logger;

    public void Post(T message)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Post(message);
        }
    }

    public IAsyncDisposable Subscribe(Func<T, Task> handler)
    {
        OrderedDispatcher<T>? dispatcher = null;
        dispatcher = new OrderedDispatcher<T>(handler, _logger, () =>
        {
            ImmutableInterlocked.Update(ref _subscribers, static (list, d) => list.Remove(d), dispatcher!);
            return ValueTask.CompletedTask;
        });
        ImmutableInterlocked.Update(ref _subscribers, static (list, d) => list.Add(d), dispatcher);
        return dispatcher;
    }
}
