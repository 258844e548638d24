namespace CdnPlatform.Cluster.Naming;

/// <summary>
/// Tells edges that DNS records changed, so they re-resolve now rather than when the TTL runs out. Best effort
/// and nothing more: no log, no acknowledgement, a change sent while an edge is away is not replayed, and the
/// TTL stays the bound on how late an edge sees it. Implementations: <see cref="InMemoryDnsChangeBus"/> (every
/// node in one process) and <see cref="RedisDnsChangeBus"/> (pub/sub).
/// </summary>
public interface IDnsChangeBus
{
    /// <summary>"memory" or "redis".</summary>
    string Transport { get; }

    /// <summary>Sends the change to every current subscriber. Throws when the transport cannot be reached: the signal is then lost.</summary>
    Task PublishAsync(DnsChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Receives every change published after this call returns, one at a time and in order. Throws when the
    /// transport cannot be reached (the caller tries again later). Dispose to stop receiving.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(Func<DnsChange, Task> onChange, CancellationToken cancellationToken = default);
}
