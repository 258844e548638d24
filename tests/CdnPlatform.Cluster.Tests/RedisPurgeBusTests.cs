using System.Collections.Concurrent;
using System.Threading.Channels;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Tests;

/// <summary>The bus contract over a real redis-server, each side on its own connection as on separate hosts.</summary>
public sealed class RedisPurgeBusTests : PurgeBusContract, IClassFixture<RedisServer>, IDisposable
{
    // A prefix per test keeps one test's log, marks and channels out of another's.
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N");
    private readonly RedisConnections _connections;

    public RedisPurgeBusTests(RedisServer redis) => _connections = new RedisConnections(redis.Endpoint);

    protected override Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync(int? maxEntries = null) =>
        _connections.ConnectBusesAsync(_prefix, maxEntries);

    [Fact]
    public override Task AppliedMark_OfZero_IsRecorded() => base.AppliedMark_OfZero_IsRecorded();

    [Fact]
    public async Task Transport_IsNamedRedis() =>
        Assert.Equal("redis", new RedisPurgeBus(await _connections.ConnectAsync(), _prefix).Transport);

    [Fact]
    public async Task DifferentKeyPrefixes_HaveSeparateLogs_MarksAndChannels()
    {
        var mine = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var other = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix + "-other");
        var announced = Channel.CreateUnbounded<long>();
        var acked = Channel.CreateUnbounded<string>();
        await using var a = await mine.SubscribeAnnouncementsAsync(s => announced.Writer.WriteAsync(s.Sequence).AsTask());
        await using var b = await mine.SubscribeAcksAsync(ack => acked.Writer.WriteAsync(ack.PurgeId).AsTask());

        Assert.Equal(1, (await other.PublishAsync(Purges.Url("foreign1"))).Sequence);
        Assert.Equal(2, (await other.PublishAsync(Purges.Url("foreign2"))).Sequence);
        await other.SaveAppliedAsync("ams", 2);
        await other.AcknowledgeAsync(new PurgeAck("foreign1", "ams", Purges.Issued));
        var own = await mine.PublishAsync(Purges.Url("own"));
        await mine.AcknowledgeAsync(new PurgeAck("own", "ams", Purges.Issued));

        Assert.Equal(1, own.Sequence);
        Assert.Equal(["own"], (await mine.ReadAsync(0, 100)).Entries.Select(e => e.Id));
        Assert.Null(await mine.LoadAppliedAsync("ams"));
        Assert.Equal(1, await announced.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.Equal("own", await acked.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.False(announced.Reader.TryRead(out var foreignAnnouncement), $"announcement {foreignAnnouncement} crossed prefixes");
        Assert.False(acked.Reader.TryRead(out var foreignAck), $"ack {foreignAck} crossed prefixes");
    }

    [Fact]
    public async Task MalformedAck_IsDropped_AndLaterAcksArrive()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<string>();
        await using var _ = await control.SubscribeAcksAsync(a => received.Writer.WriteAsync(a.PurgeId).AsTask());

        var raw = await _connections.ConnectAsync();
        await raw.GetSubscriber().PublishAsync(RedisChannel.Literal(_prefix + ":purge-ack"), "{not json");
        await edge.AcknowledgeAsync(new PurgeAck("after-junk", "ams", Purges.Issued));

        Assert.Equal("after-junk", await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
    }

    [Fact]
    public async Task MalformedAnnouncement_IsDropped_AndLaterAnnouncementsArrive()
    {
        var (control, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<PurgeAnnouncement>();
        await using var _ = await edge.SubscribeAnnouncementsAsync(a => received.Writer.WriteAsync(a).AsTask());

        var raw = await _connections.ConnectAsync();
        foreach (var junk in new[] { "not a number", "", " 5 {}", "-3", "0", "x7 {}" })
        {
            await raw.GetSubscriber().PublishAsync(RedisChannel.Literal(_prefix + ":purge:announce"), junk);
        }
        await control.PublishAsync(Purges.Url("after-junk"));

        var announcement = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        Assert.Equal(1, announcement.Sequence);
        Assert.Equal("after-junk", announcement.Purge?.Id);
        Assert.False(received.Reader.TryRead(out var extra), $"unexpected announcement {extra}");
    }

    /// <summary>A sequence with an entry that does not parse still says the log grew: the reader reads it there.</summary>
    [Fact]
    public async Task AnnouncementWithAnUnreadableEntry_StillAnnouncesItsSequence()
    {
        var (_, edge) = await ConnectAsync();
        var received = Channel.CreateUnbounded<PurgeAnnouncement>();
        await using var _ = await edge.SubscribeAnnouncementsAsync(a => received.Writer.WriteAsync(a).AsTask());

        var raw = await _connections.ConnectAsync();
        await raw.GetSubscriber().PublishAsync(RedisChannel.Literal(_prefix + ":purge:announce"), "7 {not json");
        await raw.GetSubscriber().PublishAsync(RedisChannel.Literal(_prefix + ":purge:announce"), "8 {}");
        await raw.GetSubscriber().PublishAsync(RedisChannel.Literal(_prefix + ":purge:announce"), "9");

        foreach (var expected in new long[] { 7, 8, 9 })
        {
            var announcement = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
            Assert.Equal(new PurgeAnnouncement(expected, null), announcement);
        }
    }

    [Fact]
    public async Task AnEntryOverTheAnnounceLimit_IsAnnouncedBySequenceAlone()
    {
        var control = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix, announceLimit: 200);
        var edge = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var received = Channel.CreateUnbounded<PurgeAnnouncement>();
        await using var _ = await edge.SubscribeAnnouncementsAsync(a => received.Writer.WriteAsync(a).AsTask());

        await control.PublishAsync(Purges.Url("small"));
        await control.PublishAsync(Purges.Url("large") with { Tags = [.. Enumerable.Range(0, 50).Select(i => $"tag-{i}")] });

        var small = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        var large = await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);
        Assert.Equal("small", small.Purge?.Id);
        Assert.Equal(new PurgeAnnouncement(2, null), large);
        Assert.Equal(50, (await edge.ReadAsync(1, 1)).Entries.Single().Tags.Count);
    }

    /// <summary>
    /// An announcement without its entry between two with theirs: the follower cannot apply the third
    /// before the second, so it reads the second from the log, and keeps the order.
    /// </summary>
    [Fact]
    public async Task Follower_ReadsAnEntryTheAnnouncementDidNotCarry_AndKeepsTheOrder()
    {
        var control = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix, announceLimit: 200);
        var edge = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var node = new RecordingEdge();
        await using var follower = await node.StartAsync(edge, "ams", TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");

        for (var round = 0; round < 5; round++)
        {
            await control.PublishAsync(Purges.Url($"small{round}"));
            await control.PublishAsync(Purges.Url($"large{round}") with { Tags = [.. Enumerable.Range(0, 50).Select(i => $"tag-{i}")] });
        }
        await control.PublishAsync(Purges.Url("sentinel"));

        await node.WaitForAsync(11);
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(r => new[] { $"small{r}", $"large{r}" }).Append("sentinel"), node.AppliedIds);
        Assert.Equal(50, node.Applied[1].Tags.Count);
    }

    /// <summary>
    /// An entry another writer put in the log that is not a purge must not stop every edge from reading the
    /// entries after it: the bus says it skips (and logs) unreadable entries.
    /// </summary>
    [Fact]
    public async Task MalformedLogEntry_IsSkipped_AndLaterEntriesAreRead()
    {
        var (control, edge) = await ConnectAsync();
        await control.PublishAsync(Purges.Url("before"));
        await AppendRawAsync("{not json");
        // Valid JSON but no purge: no id, site or URLs (it would deserialize with nulls in non-nullable fields).
        await AppendRawAsync("{}");
        await control.PublishAsync(Purges.Url("after"));

        var slice = await edge.ReadAsync(0, 100);

        Assert.Equal(["before", "after"], slice.Entries.Select(e => e.Id));
        Assert.Equal([1L, 4], slice.Entries.Select(e => e.Sequence));
        Assert.Equal(4, slice.Last);
    }

    [Fact]
    public async Task Follower_GetsPastAMalformedLogEntry()
    {
        var (control, edge) = await ConnectAsync();
        var applied = new ConcurrentQueue<string>();
        await using var follower = new PurgeFollower(edge, "ams", p => { applied.Enqueue(p.Id); return Task.CompletedTask; },
            () => Task.CompletedTask, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeSpan.FromMilliseconds(100));
        await follower.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");

        await AppendRawAsync("{not json");
        await control.PublishAsync(Purges.Url("after"));

        await Eventually.TrueAsync(() => applied.Contains("after"), () => $"applied [{string.Join(", ", applied)}], mark {follower.Mark}");
    }

    /// <summary>Appends an entry the way the bus does (next sequence, <c>0-seq</c> ID) but with <paramref name="payload"/> as its body.</summary>
    private async Task AppendRawAsync(string payload)
    {
        var raw = await _connections.ConnectAsync();
        await raw.GetDatabase().ScriptEvaluateAsync("""
            local seq = redis.call('INCR', KEYS[2])
            redis.call('XADD', KEYS[1], '0-' .. seq, 'm', ARGV[1])
            return seq
            """, [(RedisKey)(_prefix + ":purge:log"), (RedisKey)(_prefix + ":purge:seq")], [payload]);
    }

    public void Dispose() => _connections.Dispose();
}

/// <summary>The follower over a real redis-server: the control plane and the edge on separate connections.</summary>
public sealed class RedisPurgeFollowerTests : PurgeFollowerContract, IClassFixture<RedisServer>, IDisposable
{
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N");
    private readonly RedisConnections _connections;

    public RedisPurgeFollowerTests(RedisServer redis) => _connections = new RedisConnections(redis.Endpoint);

    protected override Task<(IPurgeBus Control, IPurgeBus Edge)> ConnectAsync(int? maxEntries = null) =>
        _connections.ConnectBusesAsync(_prefix, maxEntries);

    [Fact]
    public override Task OnAnEmptyLog_StartsAtZero_AndAfterARestart_AppliesWhatItMissed() =>
        base.OnAnEmptyLog_StartsAtZero_AndAfterARestart_AppliesWhatItMissed();

    public void Dispose() => _connections.Dispose();
}
