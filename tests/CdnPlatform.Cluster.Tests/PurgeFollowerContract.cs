using System.Collections.Concurrent;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// An edge's <see cref="PurgeFollower"/> over each transport: where it starts, that it applies each purge
/// once and in order, acknowledges, resumes after a restart, survives trimming and failing applies.
/// The control plane publishes through one handle, the edge follows through another.
/// </summary>
public abstract class PurgeFollowerContract
{
    /// <summary>Long enough that only announcements wake the follower within a test.</summary>
    protected static readonly TimeSpan NoPolling = TimeSpan.FromHours(1);

    protected static readonly TimeSpan FastPolling = TimeSpan.FromMilliseconds(100);

    /// <summary>Two handles on one log. <paramref name="maxEntries"/> bounds the log (null: the transport's default).</summary>
    protected abstract Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync(int? maxEntries = null);

    [Fact]
    public async Task WithoutASavedMark_StartsAtTheEndOfTheLog_AndSavesThatMark()
    {
        var (control, edge) = await ConnectAsync();
        for (var i = 1; i <= 3; i++)
        {
            await control.PublishAsync(Purges.Url($"old{i}"));
        }
        var node = new RecordingEdge();

        await using (var follower = await node.StartAsync(edge, "ams", NoPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 3, () => $"mark is {follower.Mark}");
            await Eventually.TrueAsync(async () => await control.LoadAppliedAsync("ams") == 3,
                () => "the mark was not saved");

            // History from before it existed is not replayed: the first thing it applies is the next purge.
            await control.PublishAsync(Purges.Url("new"));
            await node.WaitForAsync(1);
        }
        Assert.Equal(["new"], node.AppliedIds);
        Assert.Equal(0, node.Drops);
    }

    /// <summary>
    /// An edge that first came up on an empty log must be able to resume from mark 0 after a restart:
    /// purges published while it was down are applied when it comes back.
    /// </summary>
    [Fact]
    public virtual async Task OnAnEmptyLog_StartsAtZero_AndAfterARestart_AppliesWhatItMissed()
    {
        var (control, edge) = await ConnectAsync();
        var first = new RecordingEdge();
        await using (var follower = await first.StartAsync(edge, "ams", NoPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
        }
        // Disposing waits for the follower's loop, so its first save has finished.

        for (var i = 1; i <= 3; i++)
        {
            await control.PublishAsync(Purges.Url($"missed{i}"));
        }
        var second = new RecordingEdge();
        await using (var follower = await second.StartAsync(edge, "ams", FastPolling))
        {
            await Eventually.TrueAsync(() => second.AppliedIds.Count >= 3,
                () => $"applied [{string.Join(", ", second.AppliedIds)}] of missed1..3, mark {follower.Mark}");
        }
        Assert.Equal(["missed1", "missed2", "missed3"], second.AppliedIds);
    }

    /// <summary>
    /// A node that could not reach the log when it started serves without it: a purge published before it
    /// first reaches the log may concern what it cached, and with no saved mark it cannot tell that purge from
    /// older ones, so it drops everything once, then follows (subscribing to announcements then, too).
    /// </summary>
    [Fact]
    public async Task StartedWhileTheLogWasUnreachable_WithoutASavedMark_DropsEverythingOnce_ThenFollows()
    {
        var (control, edge) = await ConnectAsync();
        var switched = new CountingPurgeBus(edge) { Unreachable = true };
        var node = new RecordingEdge();

        await using (var follower = await node.StartAsync(switched, "ams", FastPolling))
        {
            Assert.Equal(-1, follower.Mark);
            await control.PublishAsync(Purges.Url("published-while-unreachable"));
            switched.Unreachable = false;

            await Eventually.TrueAsync(() => follower.Mark == 1, () => $"mark is {follower.Mark}");
            await Eventually.TrueAsync(() => switched.AnnouncementSubscriptions == 1, () => "never subscribed to announcements");
            await control.PublishAsync(Purges.Url("after"));
            await node.WaitForAsync(1);
        }
        Assert.Equal(["drop", "after"], node.Events);
    }

    [Fact]
    public async Task AppliesLaterPurges_ExactlyOnce_InOrder_AndAcknowledgesEach()
    {
        var (control, edge) = await ConnectAsync();
        await control.PublishAsync(Purges.Url("old"));
        var acks = new ConcurrentQueue<PurgeAck>();
        await using var _ = await control.SubscribeAcksAsync(a =>
        {
            acks.Enqueue(a);
            return Task.CompletedTask;
        });
        var clock = new FakeTimeProvider();
        var node = new RecordingEdge();

        await using (var follower = await node.StartAsync(edge, "ams", NoPolling, clock))
        {
            await Eventually.TrueAsync(() => follower.Mark == 1, () => $"mark is {follower.Mark}");
            var sent = new List<PurgeMessage>();
            for (var i = 1; i <= 50; i++)
            {
                sent.Add(await control.PublishAsync(Purges.Full($"p{i}")));
            }

            await node.WaitForAsync(50);
            await Eventually.TrueAsync(() => acks.Count >= 50, () => $"{acks.Count} of 50 acks");
            Assert.Equal(51, follower.Mark);
            await Eventually.TrueAsync(async () => await control.LoadAppliedAsync("ams") == 51, () => "mark 51 not saved");

            var applied = node.Applied;
            Assert.Equal(Enumerable.Range(2, 50).Select(s => (long)s), applied.Select(p => p.Sequence));
            for (var i = 0; i < sent.Count; i++)
            {
                Purges.AssertSameContent(sent[i], applied[i]);
            }
            Assert.Equal(sent.Select(p => p.Id), acks.Select(a => a.PurgeId));
            Assert.All(acks, a => Assert.Equal("ams", a.Edge));
            Assert.All(acks, a => Assert.Equal(clock.GetUtcNow(), a.AppliedAt));
            Assert.False(node.Overlapped, "apply ran concurrently with itself");

            // Nothing is applied twice: a sentinel published last arrives right after the 50.
            await control.PublishAsync(Purges.Url("sentinel"));
            await node.WaitForAsync(51);
        }
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"p{i}").Append("sentinel"), node.AppliedIds);
    }

    [Fact]
    public async Task WithASavedMark_ReplaysEverythingAfterIt_OnStart()
    {
        var (control, edge) = await ConnectAsync();
        var before = new RecordingEdge();
        await using (var follower = await before.StartAsync(edge, "fra", NoPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
            for (var i = 1; i <= 3; i++)
            {
                await control.PublishAsync(Purges.Url($"seen{i}"));
            }
            await before.WaitForAsync(3);
        }
        Assert.Equal(3, await control.LoadAppliedAsync("fra"));

        // The edge is down while these are published.
        for (var i = 1; i <= 4; i++)
        {
            await control.PublishAsync(Purges.Url($"missed{i}"));
        }

        var after = new RecordingEdge();
        await using (var follower = await after.StartAsync(edge, "fra", NoPolling))
        {
            await after.WaitForAsync(4);
            await control.PublishAsync(Purges.Url("sentinel"));
            await after.WaitForAsync(5);
            Assert.Equal(8, follower.Mark);
        }
        Assert.Equal(["missed1", "missed2", "missed3", "missed4", "sentinel"], after.AppliedIds);
        Assert.Equal([4L, 5, 6, 7, 8], after.Applied.Select(p => p.Sequence));
        // The stopped follower applied nothing more.
        Assert.Equal(["seen1", "seen2", "seen3"], before.AppliedIds);
        Assert.Equal(0, after.Drops);
    }

    [Fact]
    public async Task AMarkTrimmedAway_DropsEverythingOnce_AndContinuesFromTheOldestAvailable()
    {
        var (control, edge) = await ConnectAsync(maxEntries: 10);
        await control.PublishAsync(Purges.Url("p1"));
        await edge.SaveAppliedAsync("syd", 1);
        for (var i = 2; i <= 500; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }
        var log = await control.ReadAsync(1, 1);
        Assert.True(log.HasGapAfter(1), $"the log was not trimmed past 1 (oldest is {log.FirstAvailable})");
        var node = new RecordingEdge();

        await using (var follower = await node.StartAsync(edge, "syd", NoPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 500, () => $"mark is {follower.Mark}");
            await control.PublishAsync(Purges.Url("sentinel"));
            await node.WaitForAsync(500 - (int)log.FirstAvailable + 2);
        }

        Assert.Equal(1, node.Drops);
        Assert.Equal("drop", node.Events[0]);
        Assert.Equal(Enumerable.Range((int)log.FirstAvailable, 500 - (int)log.FirstAvailable + 2).Select(s => (long)s),
            node.Applied.Select(p => p.Sequence));
        Assert.Equal("sentinel", node.AppliedIds[^1]);
        Assert.Equal(501, await control.LoadAppliedAsync("syd"));
    }

    [Fact]
    public async Task AnApplyThatFails_IsRetried_NotSkipped_AndOrderIsKept()
    {
        var (control, edge) = await ConnectAsync();
        var attemptsOfP2 = 0;
        var node = new RecordingEdge(p => p.Id == "p2" && Interlocked.Increment(ref attemptsOfP2) == 1
            ? throw new InvalidOperationException("store busy")
            : Task.CompletedTask);

        await using (var follower = await node.StartAsync(edge, "ams", FastPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
            for (var i = 1; i <= 3; i++)
            {
                await control.PublishAsync(Purges.Url($"p{i}"));
            }

            await node.WaitForAsync(3);
            await control.PublishAsync(Purges.Url("sentinel"));
            await node.WaitForAsync(4);
            await Eventually.TrueAsync(async () => await control.LoadAppliedAsync("ams") == 4, () => "mark 4 not saved");
        }

        Assert.Equal(2, Volatile.Read(ref attemptsOfP2));
        Assert.Equal(["p1", "p2", "p3", "sentinel"], node.AppliedIds);
        Assert.False(node.Overlapped, "apply ran concurrently with itself");
    }

    [Fact]
    public async Task AnApplyThatFails_DoesNotCostTheAcksOfThePurgesAppliedBeforeIt()
    {
        var (control, edge) = await ConnectAsync();
        var acks = new ConcurrentQueue<PurgeAck>();
        await using var _ = await control.SubscribeAcksAsync(a =>
        {
            acks.Enqueue(a);
            return Task.CompletedTask;
        });
        // The edge was down while p1..p3 were published, so it reads them in one batch when it starts.
        await control.PublishAsync(Purges.Url("p0"));
        await control.SaveAppliedAsync("ams", 1);
        for (var i = 1; i <= 3; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }
        var attemptsOfP2 = 0;
        var node = new RecordingEdge(p => p.Id == "p2" && Interlocked.Increment(ref attemptsOfP2) == 1
            ? throw new InvalidOperationException("store busy")
            : Task.CompletedTask);

        await using (await node.StartAsync(edge, "ams", FastPolling))
        {
            await node.WaitForAsync(3);
            await control.PublishAsync(Purges.Url("sentinel"));
            await node.WaitForAsync(4);
            await Eventually.TrueAsync(() => acks.Any(a => a.PurgeId == "sentinel"), () => "no ack for the sentinel");
        }

        // Every applied purge is acknowledged, once, in order.
        Assert.Equal(["p1", "p2", "p3", "sentinel"], node.AppliedIds);
        Assert.Equal(["p1", "p2", "p3", "sentinel"], acks.Select(a => a.PurgeId));
    }

    [Fact]
    public async Task AFailedApply_HoldsBackTheMark_UntilItSucceeds()
    {
        var (control, edge) = await ConnectAsync();
        var failing = 1;
        var node = new RecordingEdge(p => p.Id == "p2" && Volatile.Read(ref failing) == 1
            ? throw new InvalidOperationException("store busy")
            : Task.CompletedTask);

        await using (var follower = await node.StartAsync(edge, "ams", FastPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
            for (var i = 1; i <= 3; i++)
            {
                await control.PublishAsync(Purges.Url($"p{i}"));
            }
            await node.WaitForAsync(1);
            await Eventually.TrueAsync(() => node.FailedAttempts >= 3, () => $"{node.FailedAttempts} failed attempts");

            // p2 keeps failing: p3 waits behind it, and no mark, in memory or saved, passes p1.
            Assert.Equal(1, follower.Mark);
            var saved = await control.LoadAppliedAsync("ams");
            Assert.True(saved is null or <= 1, $"the saved mark {saved} passed a purge that was not applied");
            Assert.Equal(["p1"], node.AppliedIds);

            Volatile.Write(ref failing, 0);
            await node.WaitForAsync(3);
            await Eventually.TrueAsync(async () => await control.LoadAppliedAsync("ams") == 3, () => "mark 3 not saved");
        }
        Assert.Equal(["p1", "p2", "p3"], node.AppliedIds);
    }

    [Fact]
    public async Task TwoEdges_EachApplyEveryPurge_AndKeepTheirOwnMarks()
    {
        var (control, edge) = await ConnectAsync();
        var ams = new RecordingEdge();
        var fra = new RecordingEdge();
        await using (var a = await ams.StartAsync(edge, "ams", NoPolling))
        await using (var f = await fra.StartAsync(edge, "fra", NoPolling))
        {
            await Eventually.TrueAsync(() => a.Mark == 0 && f.Mark == 0, () => $"marks {a.Mark}, {f.Mark}");
            for (var i = 1; i <= 10; i++)
            {
                await control.PublishAsync(Purges.Url($"p{i}"));
            }
            await ams.WaitForAsync(10);
            await fra.WaitForAsync(10);
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"p{i}"), ams.AppliedIds);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"p{i}"), fra.AppliedIds);
        Assert.Equal(new Dictionary<string, long> { ["ams"] = 10, ["fra"] = 10 }, await control.LoadAllAppliedAsync());
    }

    [Fact]
    public async Task AStoppedFollower_AppliesNothingMore()
    {
        var (control, edge) = await ConnectAsync();
        var node = new RecordingEdge();
        var follower = await node.StartAsync(edge, "ams", FastPolling);
        await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
        await control.PublishAsync(Purges.Url("p1"));
        await node.WaitForAsync(1);

        await follower.DisposeAsync();
        await control.PublishAsync(Purges.Url("p2"));

        // A running follower on the same log sees p2; the stopped one must not.
        var witness = new RecordingEdge();
        await control.SaveAppliedAsync("witness", 1);
        await using (await witness.StartAsync(edge, "witness", FastPolling))
        {
            await witness.WaitForAsync(1);
        }
        Assert.Equal(["p2"], witness.AppliedIds);
        Assert.Equal(["p1"], node.AppliedIds);
        Assert.Equal(1, await control.LoadAppliedAsync("ams"));
    }

    [Fact]
    public async Task AnnouncedEntries_AreApplied_WithoutReadingTheLogBack()
    {
        var (control, edge) = await ConnectAsync();
        var counted = new CountingPurgeBus(edge);
        var node = new RecordingEdge();
        await using (var follower = await node.StartAsync(counted, "ams", NoPolling))
        {
            await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
            // The first round read the log once to start; what follows comes with its announcements.
            await control.PublishAsync(Purges.Url("warm"));
            await node.WaitForAsync(1);
            var readsBefore = counted.Reads;

            for (var i = 1; i <= 30; i++)
            {
                await control.PublishAsync(Purges.Full($"p{i}"));
            }

            await node.WaitForAsync(31);
            Assert.Equal(readsBefore, counted.Reads);
            Assert.Equal(31, follower.Mark);
            Purges.AssertSameContent(Purges.Full("p30"), node.Applied[^1]);
        }
        Assert.Equal(["warm", .. Enumerable.Range(1, 30).Select(i => $"p{i}")], node.AppliedIds);
    }

    /// <summary>
    /// Acknowledgements go out at once; the mark, which only tells a restart where to resume, is written
    /// once per save delay however many purges it covers (each write is an fsync on a durable Redis), and
    /// once more when the follower stops.
    /// </summary>
    [Fact]
    public async Task TheMark_IsSavedAfterTheSaveDelay_NotOncePerPurge_AndWhenTheFollowerStops()
    {
        var (control, edge) = await ConnectAsync();
        var counted = new CountingPurgeBus(edge);
        var acks = new ConcurrentQueue<PurgeAck>();
        await using var _ = await control.SubscribeAcksAsync(a =>
        {
            acks.Enqueue(a);
            return Task.CompletedTask;
        });
        var node = new RecordingEdge();
        var follower = await node.StartAsync(counted, "ams", NoPolling, markSaveDelay: TimeSpan.FromMilliseconds(300));
        try
        {
            await Eventually.TrueAsync(async () => await control.LoadAppliedAsync("ams") == 0, () => "the first mark was not saved");

            for (var i = 1; i <= 50; i++)
            {
                await control.PublishAsync(Purges.Url($"p{i}"));
            }
            await Eventually.TrueAsync(() => acks.Count >= 50, () => $"{acks.Count} of 50 acks");
            await Eventually.TrueAsync(async () => await control.LoadAppliedAsync("ams") == 50, () => "mark 50 not saved after the delay");
            // A slow machine may spread the 50 over a few save delays, never over 50 writes.
            Assert.InRange(counted.MarkSaves, 2, 10);

            await control.PublishAsync(Purges.Url("last"));
            await node.WaitForAsync(51);
        }
        finally
        {
            await follower.DisposeAsync();
        }
        Assert.Equal(51, await control.LoadAppliedAsync("ams"));
    }
}
