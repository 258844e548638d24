using System.Collections.Immutable;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Cluster.Purging;

/// <summary>The bus for the single-process default: every node holds the same instance.</summary>
public sealed class InMemoryPurgeBus : IPurgeBus
{
    private readonly ILogger _logger;
    private ImmutableList<OrderedDispatcher<PurgeMessage>> _purgeSubscribers = [];
    private ImmutableList<OrderedDispatcher<PurgeAck>> _ackSubscribers = [];

    public InMemoryPurgeBus(ILogger<InMemoryPurgeBus>? logger = null)
    {
        _logger = logger ?? NullLogger<InMemoryPurgeBus>.Instance;
    }

    public string Transport => "memory";

    public Task PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default)
    {
        foreach (var subscriber in _purgeSubscribers)
        {
            subscriber.Post(purge);
        }
        return Task.CompletedTask;
    }

    public Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default)
    {
        foreach (var subscriber in _ackSubscribers)
        {
            subscriber.Post(ack);
        }
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribePurgesAsync(Func<PurgeMessage, Task> onPurge, CancellationToken cancellationToken = default)
    {
        OrderedDispatcher<PurgeMessage>? dispatcher = null;
        dispatcher = new OrderedDispatcher<PurgeMessage>(onPurge, _logger, () =>
        {
            ImmutableInterlocked.Update(ref _purgeSubscribers, static (list, d) => list.Remove(d), dispatcher!);
            return ValueTask.CompletedTask;
        });
        ImmutableInterlocked.Update(ref _purgeSubscribers, static (list, d) => list.Add(d), dispatcher);
        return Task.FromResult<IAsyncDisposable>(dispatcher);
    }

    public Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default)
    {
        OrderedDispatcher<PurgeAck>? dispatcher = null;
        dispatcher = new OrderedDispatcher<PurgeAck>(onAck, _logger, () =>
        {
            ImmutableInterlocked.Update(ref _ackSubscribers, static (list, d) => list.Remove(d), dispatcher!);
            return ValueTask.CompletedTask;
        });
        ImmutableInterlocked.Update(ref _ackSubscribers, static (list, d) => list.Add(d), dispatcher);
        return Task.FromResult<IAsyncDisposable>(dispatcher);
    }
}
