namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// Carries purges from the control plane to the edges and acknowledgements back. Two implementations:
/// <see cref="InMemoryPurgeBus"/> for every node in one process, and <see cref="RedisPurgeBus"/> across hosts.
/// Handlers of one subscription are called one message at a time, in the order the bus delivered them.
/// </summary>
public interface IPurgeBus
{
    /// <summary>"memory" or "redis": shown in status pages so ops know what carries purges.</summary>
    string Transport { get; }

    Task PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default);

    Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default);

    /// <summary>Receives every purge published after this call returns. Dispose to stop receiving.</summary>
    Task<IAsyncDisposable> SubscribePurgesAsync(Func<PurgeMessage, Task> onPurge, CancellationToken cancellationToken = default);

    /// <summary>Receives every acknowledgement published after this call returns. Dispose to stop receiving.</summary>
    Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default);
}
