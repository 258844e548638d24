using System.Threading.Channels;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Testing;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// What every <see cref="IDnsChangeBus"/> must do, run once per transport: the control plane publishes through
/// one handle and edges listen through another (for Redis: separate connections, as on separate hosts).
/// </summary>
public abstract class DnsChangeBusContract
{
    protected static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<(IDnsChangeBus Control, IDnsChangeBus Edge)> ConnectAsync();

    [Fact]
    public async Task PublishedChange_ReachesASubscriber_WithEveryField()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<DnsChange>();
        await using var _ = await edge.SubscribeAsync(c => received.Writer.WriteAsync(c).AsTask());

        await control.PublishAsync(new DnsChange(["shop.test.", "blog.test."], 1764756000, At));

        var change = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        Assert.Equal(["shop.test.", "blog.test."], change.Zones);
        Assert.Equal(1764756000u, change.Serial);
        Assert.Equal(At, change.At);
    }

    [Fact]
    public async Task Changes_ReachEverySubscriber_InTheOrderPublished()
    {
        var (control, edge) = await ConnectAsync();
        var first = Channel.CreateUnbounded<uint>();
        var second = Channel.CreateUnbounded<uint>();
        await using var a = await edge.SubscribeAsync(c => first.Writer.WriteAsync(c.Serial).AsTask());
        await using var b = await edge.SubscribeAsync(c => second.Writer.WriteAsync(c.Serial).AsTask());

        for (var serial = 1u; serial <= 20; serial++)
        {
            await control.PublishAsync(new DnsChange(["shop.test."], serial, At));
        }

        foreach (var channel in new[] { first, second })
        {
            var serials = new List<uint>();
            for (var i = 0; i < 20; i++)
            {
                serials.Add(await channel.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
            }
            Assert.Equal(Enumerable.Range(1, 20).Select(s => (uint)s), serials);
        }
    }

    [Fact]
    public async Task DisposedSubscription_ReceivesNothingMore()
    {
        var (control, edge) = await ConnectAsync();
        var stopped = Channel.CreateUnbounded<uint>();
        var live = Channel.CreateUnbounded<uint>();
        var subscription = await edge.SubscribeAsync(c => stopped.Writer.WriteAsync(c.Serial).AsTask());
        await using var _ = await edge.SubscribeAsync(c => live.Writer.WriteAsync(c.Serial).AsTask());

        await control.PublishAsync(new DnsChange(["shop.test."], 1, At));
        Assert.Equal(1u, await stopped.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.Equal(1u, await live.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        await subscription.DisposeAsync();

        await control.PublishAsync(new DnsChange(["shop.test."], 2, At));

        // The live subscriber got it, so it was sent; the disposed one must not have.
        Assert.Equal(2u, await live.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.False(stopped.Reader.TryRead(out var late), $"change {late} reached a disposed subscription");
    }

    [Fact]
    public async Task ASubscriberThatThrows_StillGetsTheNextChange()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<uint>();
        await using var _ = await edge.SubscribeAsync(async c =>
        {
            await received.Writer.WriteAsync(c.Serial);
            throw new InvalidOperationException("handler failed");
        });

        await control.PublishAsync(new DnsChange(["shop.test."], 1, At));
        await control.PublishAsync(new DnsChange(["shop.test."], 2, At));

        Assert.Equal(1u, await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.Equal(2u, await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
    }
}
