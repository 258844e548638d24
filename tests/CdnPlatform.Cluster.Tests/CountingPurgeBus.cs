using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// A real bus seen through a counter: every call goes to <paramref name="inner"/>, and the reads of the log
/// and the mark writes are counted, so a test can tell which round trips a follower made.
/// </summary>
internal sealed class CountingPurgeBus(IPurgeBus inner) : IPurgeBus
{
    private int _reads;
    private int _markSaves;

    public int Reads => Volatile.Read(ref _reads);
    public int MarkSaves => Volatile.Read(ref _markSaves);

    public string Transport => inner.Transport;

    public Task<PurgeMessage> PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default) =>
        inner.PublishAsync(purge, cancellationToken);

    public Task<PurgeLogSlice> ReadAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ReadAsync(afterSequence, max, cancellationToken);
    }

    public Task<IAsyncDisposable> SubscribeAnnouncementsAsync(Func<PurgeAnnouncement, Task> onAppended, CancellationToken cancellationToken = default) =>
        inner.SubscribeAnnouncementsAsync(onAppended, cancellationToken);

    public Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default) =>
        inner.AcknowledgeAsync(ack, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default) =>
        inner.SubscribeAcksAsync(onAck, cancellationToken);

    public Task<long?> LoadAppliedAsync(string edge, CancellationToken cancellationToken = default) =>
        inner.LoadAppliedAsync(edge, cancellationToken);

    public Task SaveAppliedAsync(string edge, long sequence, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _markSaves);
        return inner.SaveAppliedAsync(edge, sequence, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, long>> LoadAllAppliedAsync(CancellationToken cancellationToken = default) =>
        inner.LoadAllAppliedAsync(cancellationToken);
}
