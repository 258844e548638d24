using System.Threading.Channels;
using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// What every <see cref="IPurgeBus"/> must do, run once per transport: the in-process default and Redis
/// must be interchangeable for the nodes.
/// </summary>
public abstract class PurgeBusContract
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Two handles on one bus, as two nodes would hold (for Redis: two connections).</summary>
    protected abstract Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync();

    [Fact]
    public async Task Purge_PublishedByControl_ReachesSubscribedEdge()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<PurgeMessage>();
        await using var _ = await edge.SubscribePurgesAsync(m => received.Writer.WriteAsync(m).AsTask());

        var sent = new PurgeMessage("p1", "shop", ["http://www.shop.test/a"], DateTimeOffset.UnixEpoch);
        await control.PublishAsync(sent);

        var got = await received.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(sent.Id, got.Id);
        Assert.Equal(sent.Site, got.Site);
        Assert.Equal(sent.Urls, got.Urls);
        Assert.Equal(sent.IssuedAt, got.IssuedAt);
    }

    [Fact]
    public async Task Ack_PublishedByEdge_ReachesControl()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await control.SubscribeAcksAsync(a => received.Writer.WriteAsync(a).AsTask());

        await edge.AcknowledgeAsync(new PurgeAck("p1", "ams", DateTimeOffset.UnixEpoch.AddSeconds(5)));

        var got = await received.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(new PurgeAck("p1", "ams", DateTimeOffset.UnixEpoch.AddSeconds(5)), got);
    }

    [Fact]
    public async Task Purges_AreHandledOneAtATime_InPublishOrder()
    {
        var (control, edge) = await ConnectAsync();
        var seen = new List<string>();
        var inHandler = 0;
        var overlapped = false;
        var all = new TaskCompletionSource();
        await using var _ = await edge.SubscribePurgesAsync(async m =>
        {
            overlapped |= Interlocked.Increment(ref inHandler) > 1;
            await Task.Yield();
            seen.Add(m.Id);
            Interlocked.Decrement(ref inHandler);
            if (seen.Count == 200)
            {
                all.SetResult();
            }
        });

        for (var i = 0; i < 200; i++)
        {
            await control.PublishAsync(new PurgeMessage($"p{i}", "shop", [], DateTimeOffset.UnixEpoch));
        }

        await all.Task.WaitAsync(Patience);
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"p{i}"), seen);
    }

    [Fact]
    public async Task HandlerThatThrows_DoesNotStopLaterPurges()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<string>();
        await using var _ = await edge.SubscribePurgesAsync(m => m.Id == "bad"
            ? throw new InvalidOperationException("boom")
            : received.Writer.WriteAsync(m.Id).AsTask());

        await control.PublishAsync(new PurgeMessage("bad", "shop", [], DateTimeOffset.UnixEpoch));
        await control.PublishAsync(new PurgeMessage("good", "shop", [], DateTimeOffset.UnixEpoch));

        Assert.Equal("good", await received.Reader.ReadAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task DisposedSubscription_ReceivesNothingMore()
    {
        var (control, edge) = await ConnectAsync();
        var stopped = Channel.CreateUnbounded<string>();
        var live = Channel.CreateUnbounded<string>();
        var subscription = await edge.SubscribePurgesAsync(m => stopped.Writer.WriteAsync(m.Id).AsTask());
        await using var _ = await edge.SubscribePurgesAsync(m => live.Writer.WriteAsync(m.Id).AsTask());
        await subscription.DisposeAsync();

        await control.PublishAsync(new PurgeMessage("after", "shop", [], DateTimeOffset.UnixEpoch));

        // The live subscriber got it, so it was delivered; the disposed one must not have.
        Assert.Equal("after", await live.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.False(stopped.Reader.TryRead(out var _));
    }
}
