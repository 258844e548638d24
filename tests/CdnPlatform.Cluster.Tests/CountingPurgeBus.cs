using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// A real bus seen through a counter and a switch: every call goes to <paramref name="inner"/>, the reads of
/// the log, the mark writes and the announcement subscriptions are counted, so a test can tell which round
/// trips a follower made; while <see cref="Unreachable"/> every call fails as an unreachable log does.
/// </summary>
internal sealed class CountingPurgeBus(IPurgeBus inner) : IPurgeBus
{
    private int _reads;
    private int _markSaves;
    private int _announcementSubscriptions;
    private volatile bool _unreachable;

    public int Reads => Volatile.Read(ref _reads);
    public int MarkSaves => Volatile.Read(ref _markSaves);
    public int AnnouncementSubscriptions => Volatile.Read(ref _announcementSubscriptions);

    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    public string Transport => inner.Transport;

    public Task<PurgeMessage> PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default) =>
        Reach().PublishAsync(purge, cancellationToken);

    public Task<PurgeLogSlice> ReadAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return Reach().ReadAsync(afterSequence, max, cancellationToken);
    }

    public async Task<IAsyncDisposable> SubscribeAnnouncementsAsync(Func<PurgeAnnouncement, Task> onAppended, CancellationToken cancellationToken = default)
    {
        var subscription = await Reach().SubscribeAnnouncementsAsync(onAppended, cancellationToken);
        Interlocked.Increment(ref _announcementSubscriptions);
        return subscription;
    }

    public Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default) =>
        Reach().AcknowledgeAsync(ack, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default) =>
        Reach().SubscribeAcksAsync(onAck, cancellationToken);

    public Task<long?> LoadAppliedAsync(string edge, CancellationToken cancellationToken = default) =>
        Reach().LoadAppliedAsync(edge, cancellationToken);

    public Task SaveAppliedAsync(string edge, long sequence, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _markSaves);
        return Reach().SaveAppliedAsync(edge, sequence, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, long>> LoadAllAppliedAsync(CancellationToken cancellationToken = default) =>
        Reach().LoadAllAppliedAsync(cancellationToken);

    private IPurgeBus Reach() => _unreachable ? throw new PurgeLogUnavailableException("unreachable (test switch)") : inner;
}
