using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Tests;

/// <summary>
/// The purge log when Redis goes away: writes fail fast and say so, accepted purges survive a crash (AOF,
/// fsync on every write), and edges catch up when it is back. These tests kill and restart their own
/// redis-server, so no other class shares it.
/// </summary>
public sealed class RedisRestartTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    /// <summary>How long a call to a stopped Redis may take before it counts as hanging. Not a speed target.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private readonly RedisServer _redis;
    private readonly RedisConnections _connections;
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N");

    public RedisRestartTests(RedisServer redis)
    {
        _redis = redis;
        _connections = new RedisConnections(redis.Endpoint);
    }

    // A test that failed half-way may have left the server stopped.
    public Task InitializeAsync() => _redis.StartAsync();

    public async Task DisposeAsync()
    {
        _connections.Dispose();
        await _redis.StartAsync();
    }

    [Fact]
    public async Task TheServer_RunsWithAnAppendOnlyFile_FsyncedOnEveryWrite()
    {
        var config = ConfigurationOptions.Parse(_redis.Endpoint);
        config.AllowAdmin = true;
        using var admin = await ConnectionMultiplexer.ConnectAsync(config);
        var server = admin.GetServer(_redis.Endpoint);

        var settings = (await server.ConfigGetAsync("append*")).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("yes", settings["appendonly"]);
        Assert.Equal("always", settings["appendfsync"]);
    }

    [Fact]
    public async Task WhileRedisIsDown_EveryCallFailsWithUnavailable_InsteadOfHanging()
    {
        var connection = await _connections.ConnectAsync();
        var bus = new RedisPurgeBus(connection, _prefix);
        await bus.PublishAsync(Purges.Url("p1"));

        await _redis.StopAsync();

        // At once, before the client may have noticed the connection is gone...
        await AssertUnavailableAsync(() => bus.PublishAsync(Purges.Url("p2")));
        // ...and once it has.
        await Eventually.TrueAsync(() => !connection.IsConnected, () => "the client still believes it is connected");
        await AssertUnavailableAsync(() => bus.PublishAsync(Purges.Url("p3")));
        await AssertUnavailableAsync(() => bus.ReadAsync(0, 10));
        await AssertUnavailableAsync(() => bus.LoadAppliedAsync("ams"));
        await AssertUnavailableAsync(() => bus.SaveAppliedAsync("ams", 1));
        await AssertUnavailableAsync(() => bus.LoadAllAppliedAsync());
        await AssertUnavailableAsync(() => bus.AcknowledgeAsync(new PurgeAck("p1", "ams", Purges.Issued)));

        await _redis.StartAsync();
        // Nothing that failed was accepted.
        var slice = await Eventually.SucceedsAsync<PurgeLogSlice, PurgeLogUnavailableException>(() => bus.ReadAsync(0, 10), "reading the log after the restart");
        Assert.Equal(["p1"], slice.Entries.Select(e => e.Id));
        Assert.Equal(1, slice.Last);
        Assert.Null(await bus.LoadAppliedAsync("ams"));
    }

    [Fact]
    public async Task AcceptedPurges_SurviveACrash_AndTheSequenceContinues()
    {
        var connection = await _connections.ConnectAsync();
        var control = new RedisPurgeBus(connection, _prefix);
        var sent = new List<PurgeMessage>();
        for (var i = 1; i <= 20; i++)
        {
            sent.Add(await control.PublishAsync(Purges.Full($"p{i}")));
        }
        await control.SaveAppliedAsync("ams", 20);
        await control.SaveAppliedAsync("fra", 12);

        await _redis.StopAsync();
        await AssertUnavailableAsync(() => control.PublishAsync(Purges.Url("rejected")));
        await _redis.StartAsync();

        // A new connection reads everything back: it was on disk, not held by a client.
        var fresh = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var slice = await fresh.ReadAsync(0, 100);
        Assert.Equal(1, slice.FirstAvailable);
        Assert.Equal(20, slice.Last);
        Assert.Equal(Enumerable.Range(1, 20).Select(s => (long)s), slice.Entries.Select(e => e.Sequence));
        for (var i = 0; i < sent.Count; i++)
        {
            Purges.AssertSameContent(sent[i], slice.Entries[i]);
        }
        Assert.Equal(new Dictionary<string, long> { ["ams"] = 20, ["fra"] = 12 }, await fresh.LoadAllAppliedAsync());

        // The control plane's own connection comes back by itself, and the sequence goes on from 20.
        await Eventually.SucceedsAsync<PurgeLogSlice, PurgeLogUnavailableException>(() => control.ReadAsync(0, 1), "reading through the old connection");
        Assert.Equal(21, (await control.PublishAsync(Purges.Url("p21"))).Sequence);
        Assert.Equal(22, (await fresh.PublishAsync(Purges.Url("p22"))).Sequence);
        Assert.Equal(Enumerable.Range(1, 22).Select(i => $"p{i}"), (await fresh.ReadAsync(0, 100)).Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task AFollowerRunningAcrossARestart_AppliesEveryPurgeExactlyOnce()
    {
        var control = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var edgeConnection = await _connections.ConnectAsync();
        var edge = new RedisPurgeBus(edgeConnection, _prefix);
        var node = new RecordingEdge();

        await using (var follower = await node.StartAsync(edge, "ams", TimeSpan.FromMilliseconds(200)))
        {
            await Eventually.TrueAsync(() => follower.Mark == 0, () => $"mark is {follower.Mark}");
            for (var i = 1; i <= 5; i++)
            {
                await control.PublishAsync(Purges.Url($"p{i}"));
            }
            await node.WaitForAsync(5);

            await _redis.StopAsync();
            await AssertUnavailableAsync(() => control.PublishAsync(Purges.Url("rejected")));
            // Let the edge find out too: its reads fail while Redis is away.
            await Eventually.TrueAsync(() => !edgeConnection.IsConnected, () => "the edge still believes it is connected");
            await _redis.StartAsync();

            await Eventually.SucceedsAsync<PurgeLogSlice, PurgeLogUnavailableException>(() => control.ReadAsync(0, 1), "reading the log after the restart");
            for (var i = 6; i <= 10; i++)
            {
                await control.PublishAsync(Purges.Url($"p{i}"));
            }
            await node.WaitForAsync(10);
            await control.PublishAsync(Purges.Url("sentinel"));
            await node.WaitForAsync(11);
            Assert.Equal(11, follower.Mark);
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"p{i}").Append("sentinel"), node.AppliedIds);
        Assert.Equal(Enumerable.Range(1, 11).Select(s => (long)s), node.Applied.Select(p => p.Sequence));
        Assert.Equal(0, node.Drops);
        Assert.Equal(11, await control.LoadAppliedAsync("ams"));
    }

    [Fact]
    public async Task AFollowerStartedWhileRedisIsDown_CatchesUpWhenItIsBack()
    {
        var control = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        for (var i = 1; i <= 3; i++)
        {
            await control.PublishAsync(Purges.Url($"p{i}"));
        }
        await control.SaveAppliedAsync("ams", 1);
        await _redis.StopAsync();

        // The edge process comes up while Redis is away: it connects and starts following anyway.
        var edge = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var node = new RecordingEdge();
        await using (var follower = await node.StartAsync(edge, "ams", TimeSpan.FromMilliseconds(200)).WaitAsync(HangLimit))
        {
            Assert.Equal(-1, follower.Mark);
            await _redis.StartAsync();

            await node.WaitForAsync(2);
            await Eventually.SucceedsAsync<PurgeLogSlice, PurgeLogUnavailableException>(() => control.ReadAsync(0, 1), "reading the log after the restart");
            await control.PublishAsync(Purges.Url("p4"));
            await node.WaitForAsync(3);
        }

        Assert.Equal(["p2", "p3", "p4"], node.AppliedIds);
        Assert.Equal(4, await control.LoadAppliedAsync("ams"));
    }

    /// <summary>
    /// Redis goes away after an edge applied a purge but before it recorded and acknowledged it. When Redis is
    /// back the edge must still record its mark and acknowledge that purge, without waiting for another one.
    /// </summary>
    [Fact]
    public async Task APurgeAppliedJustBeforeRedisWentAway_IsStillRecordedAndAcknowledged()
    {
        var control = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var edge = new RedisPurgeBus(await _connections.ConnectAsync(), _prefix);
        var acks = new System.Collections.Concurrent.ConcurrentQueue<PurgeAck>();
        await using var _ = await control.SubscribeAcksAsync(a =>
        {
            acks.Enqueue(a);
            return Task.CompletedTask;
        });
        await control.PublishAsync(Purges.Url("p1"));
        await control.SaveAppliedAsync("ams", 1);
        // Redis dies while the edge applies p2: the apply succeeds, recording it cannot.
        var applying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crashed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = new RecordingEdge(async p =>
        {
            if (p.Id == "p2" && applying.TrySetResult())
            {
                await crashed.Task;
            }
        });

        await using (var follower = await node.StartAsync(edge, "ams", TimeSpan.FromMilliseconds(200)))
        {
            await Eventually.TrueAsync(() => follower.Mark == 1, () => $"mark is {follower.Mark}");
            await control.PublishAsync(Purges.Url("p2"));
            await applying.Task.WaitAsync(Eventually.Patience);
            await _redis.StopAsync();
            crashed.SetResult();
            await node.WaitForAsync(1);
            await _redis.StartAsync();

            await Eventually.TrueAsync(async () => await TryLoadAsync(control, "ams") == 2,
                () => $"the saved mark is not 2 although p2 was applied (follower mark {follower.Mark})");
            await Eventually.TrueAsync(() => acks.Any(a => a.PurgeId == "p2"),
                () => $"acks so far: [{string.Join(", ", acks.Select(a => a.PurgeId))}]");
        }
        Assert.Equal(["p2"], node.AppliedIds);
    }

    private static async Task<long?> TryLoadAsync(IPurgeBus bus, string edge)
    {
        try
        {
            return await bus.LoadAppliedAsync(edge);
        }
        catch (PurgeLogUnavailableException)
        {
            return null;
        }
    }

    private static async Task AssertUnavailableAsync(Func<Task> operation)
    {
        var call = Task.Run(operation);
        var finished = await Task.WhenAny(call, Task.Delay(HangLimit));
        Assert.True(finished == call, $"the call had not finished after {HangLimit.TotalSeconds:0} s with Redis down");
        await Assert.ThrowsAsync<PurgeLogUnavailableException>(() => call);
    }
}
