using System.Collections.Concurrent;
using System.Threading.Channels;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// What every <see cref="IPurgeBus"/> must do, run once per transport: the in-process default and Redis
/// must be interchangeable for the nodes. The control plane writes through one handle and an edge reads
/// through another (for Redis: two connections, as on two hosts).
/// </summary>
public abstract class PurgeBusContract
{
    /// <summary>Two handles on one log. <paramref name="maxEntries"/> bounds the log (null: the transport's default).</summary>
    protected abstract Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync(int? maxEntries = null);

    [Fact]
    public async Task Publish_AssignsIncreasingSequences_FromOne()
    {
        var (control, _) = await ConnectAsync();

        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            // A sequence set by the caller means nothing: the log assigns it.
            var published = await control.PublishAsync(Purges.Url($"p{i}") with { Sequence = 99 });
            Assert.Equal($"p{i}", published.Id);
            sequences.Add(published.Sequence);
        }

        Assert.Equal([1L, 2, 3, 4, 5], sequences);
    }

    [Fact]
    public async Task Publish_ReturnsThePurgeWithEveryFieldKept()
    {
        var (control, _) = await ConnectAsync();
        var sent = Purges.Full("p1");

        var published = await control.PublishAsync(sent);

        Purges.AssertSameContent(sent, published);
        Assert.Equal(1, published.Sequence);
    }

    [Fact]
    public async Task ConcurrentPublishes_GetDistinctDenseSequences_AndTheLogHoldsThemInSequenceOrder()
    {
        var (control, edge) = await ConnectAsync();

        var published = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => control.PublishAsync(Purges.Url($"p{i}")))));

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), published.Select(p => p.Sequence).Order());
        var slice = await edge.ReadAsync(0, 1000);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), slice.Entries.Select(e => e.Sequence));
        // Each entry is the purge that was given its sequence.
        var idBySequence = published.ToDictionary(p => p.Sequence, p => p.Id);
        Assert.All(slice.Entries, e => Assert.Equal(idBySequence[e.Sequence], e.Id));
    }

    [Fact]
    public async Task Read_ReturnsEntriesAfterTheMark_InOrder_WithEveryFieldRoundTripped()
    {
        var (control, edge) = await ConnectAsync();
        var sent = new[]
        {
            Purges.Full("a"),
            new PurgeMessage("b", "blog", [], Purges.Issued.AddMinutes(1)) { Tags = ["t1"] },
            new PurgeMessage("c", "shop", ["http://www.shop.test/c"], Purges.Issued.AddMinutes(2)) { Soft = true },
            new PurgeMessage("d", "shop", [], Purges.Issued.AddMinutes(3)) { All = true },
        };
        foreach (var purge in sent)
        {
            await control.PublishAsync(purge);
        }

        var all = await edge.ReadAsync(0, 100);
        Assert.Equal([1L, 2, 3, 4], all.Entries.Select(e => e.Sequence));
        for (var i = 0; i < sent.Length; i++)
        {
            Purges.AssertSameContent(sent[i], all.Entries[i]);
        }

        var afterTwo = await edge.ReadAsync(2, 100);
        Assert.Equal(["c", "d"], afterTwo.Entries.Select(e => e.Id));
        Assert.Equal([3L, 4], afterTwo.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Read_ReturnsAtMostMaxEntries_TheOldestFirst()
    {
        var (control, edge) = await ConnectAsync();
        for (var i = 1; i <= 10; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }

        var slice = await edge.ReadAsync(3, 4);

        Assert.Equal([4L, 5, 6, 7], slice.Entries.Select(e => e.Sequence));
        Assert.Equal(["p4", "p5", "p6", "p7"], slice.Entries.Select(e => e.Id));
        Assert.Equal(1, slice.FirstAvailable);
        Assert.Equal(10, slice.Last);
    }

    [Fact]
    public async Task Read_OfAnEmptyLog_ReportsNothingAvailable()
    {
        var (_, edge) = await ConnectAsync();

        var slice = await edge.ReadAsync(0, 100);

        Assert.Empty(slice.Entries);
        Assert.Equal(0, slice.FirstAvailable);
        Assert.Equal(0, slice.Last);
        Assert.False(slice.HasGapAfter(0));
    }

    [Fact]
    public async Task Read_ReportsFirstAvailableAndLast_FromAnyMark()
    {
        var (control, edge) = await ConnectAsync();
        for (var i = 1; i <= 3; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }

        foreach (var mark in new long[] { 0, 1, 3, 50, long.MaxValue - 1 })
        {
            var slice = await edge.ReadAsync(mark, 100);
            Assert.Equal(1, slice.FirstAvailable);
            Assert.Equal(3, slice.Last);
            Assert.False(slice.HasGapAfter(mark));
            Assert.Equal(Enumerable.Range(1, 3).Where(s => s > mark).Select(s => (long)s), slice.Entries.Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task Trimming_DropsTheOldestEntries_SoAnOldMarkSeesAGap()
    {
        // Redis trims with MAXLEN ~, by whole stream nodes (100 entries by default): what is guaranteed is
        // that enough appends drop the oldest entries and that at least maxEntries remain, contiguous.
        var (control, edge) = await ConnectAsync(maxEntries: 10);
        for (var i = 1; i <= 500; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }

        var slice = await edge.ReadAsync(0, 1000);

        Assert.Equal(500, slice.Last);
        Assert.True(slice.FirstAvailable > 1, $"nothing was trimmed: the log still starts at {slice.FirstAvailable}");
        Assert.True(slice.HasGapAfter(0));
        Assert.True(slice.HasGapAfter(slice.FirstAvailable - 2));
        Assert.False(slice.HasGapAfter(slice.FirstAvailable - 1));
        Assert.True(slice.Entries.Count >= 10, $"only {slice.Entries.Count} entries kept");
        // What is left is every entry from the oldest kept to the newest, each still itself.
        Assert.Equal(Enumerable.Range((int)slice.FirstAvailable, 500 - (int)slice.FirstAvailable + 1).Select(s => (long)s),
            slice.Entries.Select(e => e.Sequence));
        Assert.All(slice.Entries, e => Assert.Equal($"p{e.Sequence}", e.Id));
    }

    [Fact]
    public async Task Announcements_ArriveForEachPublish_InOrder()
    {
        var (control, edge) = await ConnectAsync();
        var announced = new ConcurrentQueue<long>();
        await using var _ = await edge.SubscribeAnnouncementsAsync(announcement =>
        {
            announced.Enqueue(announcement.Sequence);
            return Task.CompletedTask;
        });

        for (var i = 1; i <= 100; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }

        await Eventually.TrueAsync(() => announced.Count >= 100, () => $"{announced.Count} of 100 announcements");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), announced);
    }

    [Fact]
    public async Task Announcements_OfConcurrentPublishes_StillArriveInLogOrder()
    {
        var (control, edge) = await ConnectAsync();
        var announced = new ConcurrentQueue<long>();
        await using var _ = await edge.SubscribeAnnouncementsAsync(announcement =>
        {
            announced.Enqueue(announcement.Sequence);
            return Task.CompletedTask;
        });

        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(() => control.PublishAsync(Purges.Url($"p{i}")))));

        await Eventually.TrueAsync(() => announced.Count >= 200, () => $"{announced.Count} of 200 announcements");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), announced);
    }

    [Fact]
    public async Task Announcements_CarryTheEntry_AsTheLogHoldsIt()
    {
        var (control, edge) = await ConnectAsync();
        var announced = Channel.CreateUnbounded<PurgeAnnouncement>();
        await using var _ = await edge.SubscribeAnnouncementsAsync(a => announced.Writer.WriteAsync(a).AsTask());

        var published = await control.PublishAsync(Purges.Full("carried"));

        var announcement = await announced.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        var logged = Assert.Single((await edge.ReadAsync(0, 10)).Entries);
        Assert.Equal(published.Sequence, announcement.Sequence);
        Assert.NotNull(announcement.Purge);
        Assert.Equal(published.Sequence, announcement.Purge.Sequence);
        Purges.AssertSameContent(logged, announcement.Purge);
        Purges.AssertSameContent(Purges.Full("carried"), announcement.Purge);
    }

    [Fact]
    public async Task Announcements_AreHandledOneAtATime()
    {
        var (control, edge) = await ConnectAsync();
        var inHandler = 0;
        var overlapped = false;
        var handled = 0;
        await using var _ = await edge.SubscribeAnnouncementsAsync(async _ =>
        {
            overlapped |= Interlocked.Increment(ref inHandler) > 1;
            await Task.Delay(1);
            Interlocked.Decrement(ref inHandler);
            Interlocked.Increment(ref handled);
        });

        for (var i = 1; i <= 30; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref handled) == 30, () => $"{handled} of 30 handled");
        Assert.False(overlapped);
    }

    [Fact]
    public async Task DisposedAnnouncementSubscription_ReceivesNothingMore()
    {
        var (control, edge) = await ConnectAsync();
        var stopped = Channel.CreateUnbounded<long>();
        var live = Channel.CreateUnbounded<long>();
        var subscription = await edge.SubscribeAnnouncementsAsync(a => stopped.Writer.WriteAsync(a.Sequence).AsTask());
        await using var _ = await edge.SubscribeAnnouncementsAsync(a => live.Writer.WriteAsync(a.Sequence).AsTask());

        await control.PublishAsync(Purges.Url("before"));
        Assert.Equal(1, await stopped.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.Equal(1, await live.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        await subscription.DisposeAsync();

        await control.PublishAsync(Purges.Url("after"));

        // The live subscriber got it, so it was announced; the disposed one must not have.
        Assert.Equal(2, await live.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.False(stopped.Reader.TryRead(out var late), $"announcement {late} reached a disposed subscription");
    }

    [Fact]
    public async Task Acks_RoundTrip_InOrder()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<PurgeAck>();
        await using var _ = await control.SubscribeAcksAsync(a => received.Writer.WriteAsync(a).AsTask());
        var sent = Enumerable.Range(1, 20)
            .Select(i => new PurgeAck($"p{i}", i % 2 == 0 ? "ams" : "fra", new DateTimeOffset(2026, 11, 22, 12, 0, i, 250, TimeSpan.FromHours(1))))
            .ToList();

        foreach (var ack in sent)
        {
            await edge.AcknowledgeAsync(ack);
        }

        foreach (var expected in sent)
        {
            var got = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
            Assert.Equal(expected, got);
            Assert.Equal(expected.AppliedAt.Offset, got.AppliedAt.Offset);
        }
    }

    [Fact]
    public async Task DisposedAckSubscription_ReceivesNothingMore()
    {
        var (control, edge) = await ConnectAsync();
        var stopped = Channel.CreateUnbounded<PurgeAck>();
        var live = Channel.CreateUnbounded<PurgeAck>();
        var subscription = await control.SubscribeAcksAsync(a => stopped.Writer.WriteAsync(a).AsTask());
        await using var _ = await control.SubscribeAcksAsync(a => live.Writer.WriteAsync(a).AsTask());

        await edge.AcknowledgeAsync(new PurgeAck("before", "ams", Purges.Issued));
        Assert.Equal("before", (await stopped.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience)).PurgeId);
        Assert.Equal("before", (await live.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience)).PurgeId);
        await subscription.DisposeAsync();

        await edge.AcknowledgeAsync(new PurgeAck("after", "ams", Purges.Issued));

        Assert.Equal("after", (await live.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience)).PurgeId);
        Assert.False(stopped.Reader.TryRead(out var late), $"ack {late} reached a disposed subscription");
    }

    [Fact]
    public async Task AppliedMark_IsNullBeforeAnySave()
    {
        var (control, edge) = await ConnectAsync();
        await control.PublishAsync(Purges.Url("p1"));

        Assert.Null(await edge.LoadAppliedAsync("ams"));
        Assert.Empty(await control.LoadAllAppliedAsync());
    }

    [Fact]
    public async Task AppliedMark_SavedByTheEdge_IsLoadedByAnyNode()
    {
        var (control, edge) = await ConnectAsync();

        await edge.SaveAppliedAsync("ams", 7);

        Assert.Equal(7, await edge.LoadAppliedAsync("ams"));
        Assert.Equal(7, await control.LoadAppliedAsync("ams"));
        Assert.Null(await control.LoadAppliedAsync("fra"));
    }

    /// <summary>An edge that came up on an empty log records mark 0: it is then known, and a restart resumes from it.</summary>
    [Fact]
    public virtual async Task AppliedMark_OfZero_IsRecorded()
    {
        var (control, edge) = await ConnectAsync();

        await edge.SaveAppliedAsync("ams", 0);

        Assert.Equal(0, await control.LoadAppliedAsync("ams"));
        Assert.Equal(new Dictionary<string, long> { ["ams"] = 0 }, await control.LoadAllAppliedAsync());
    }

    [Fact]
    public async Task AppliedMark_OnlyMovesForward()
    {
        var (control, edge) = await ConnectAsync();

        await edge.SaveAppliedAsync("ams", 5);
        // A late write from an older process of the same edge must not move the mark back.
        await edge.SaveAppliedAsync("ams", 3);
        Assert.Equal(5, await control.LoadAppliedAsync("ams"));

        await edge.SaveAppliedAsync("ams", 5);
        Assert.Equal(5, await control.LoadAppliedAsync("ams"));

        await edge.SaveAppliedAsync("ams", 8);
        Assert.Equal(8, await control.LoadAppliedAsync("ams"));
    }

    [Fact]
    public async Task LoadAllApplied_ListsEveryEdge()
    {
        var (control, edge) = await ConnectAsync();

        await edge.SaveAppliedAsync("ams", 3);
        await edge.SaveAppliedAsync("fra", 7);
        await control.SaveAppliedAsync("syd", 1);
        await edge.SaveAppliedAsync("fra", 9);

        var all = await control.LoadAllAppliedAsync();
        Assert.Equal(new Dictionary<string, long> { ["ams"] = 3, ["fra"] = 9, ["syd"] = 1 }, all);
    }

    [Fact]
    public async Task AppliedMarks_AreKeptPerEdge_CaseSensitively()
    {
        var (control, edge) = await ConnectAsync();

        await edge.SaveAppliedAsync("ams", 3);
        await edge.SaveAppliedAsync("AMS", 4);

        Assert.Equal(3, await control.LoadAppliedAsync("ams"));
        Assert.Equal(4, await control.LoadAppliedAsync("AMS"));
    }
}
