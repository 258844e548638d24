namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// The purge log and its notifications. A purge is first appended durably (and gets its sequence), then
/// announced; edges apply the log in sequence order, remember the last sequence they applied, and
/// acknowledge. An edge that missed announcements (disconnected, restarted) reads the log from its mark.
/// Implementations: <see cref="InMemoryPurgeBus"/> (every node in one process) and <see cref="RedisPurgeBus"/>.
/// </summary>
public interface IPurgeBus
{
    /// <summary>"memory" or "redis": shown in status pages so ops know what carries purges.</summary>
    string Transport { get; }

    /// <summary>
    /// Appends the purge to the log, then announces it. Returns it with its sequence. Throws
    /// <see cref="PurgeLogUnavailableException"/> when the log cannot be written: nothing was accepted.
    /// </summary>
    Task<PurgeMessage> PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> entries after <paramref name="afterSequence"/>, oldest first, and how far back the log reaches.</summary>
    Task<PurgeLogSlice> ReadAsync(long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called for each new entry as it is appended, in log order, usually with the entry itself.
    /// Best effort: announcements can be lost, so readers also poll the log.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAnnouncementsAsync(Func<PurgeAnnouncement, Task> onAppended, CancellationToken cancellationToken = default);

    Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default);

    /// <summary>Receives every acknowledgement published after this call returns. Dispose to stop receiving.</summary>
    Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default);

    /// <summary>The last sequence <paramref name="edge"/> recorded as applied; null if it never recorded one.</summary>
    Task<long?> LoadAppliedAsync(string edge, CancellationToken cancellationToken = default);

    Task SaveAppliedAsync(string edge, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Every edge's applied mark: the durable truth behind acknowledgements that pub/sub may lose.</summary>
    Task<IReadOnlyDictionary<string, long>> LoadAllAppliedAsync(CancellationToken cancellationToken = default);
}
