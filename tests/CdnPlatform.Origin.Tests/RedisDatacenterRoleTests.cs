using System.Net;
using CdnPlatform.Origin.Storage;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// How soon a node sees its Redis change role, on a real replica and a moved clock: a promotion within 200 ms
/// (a failover's writes fail until then), a demotion within a second.
/// </summary>
public sealed class RedisDatacenterRoleTests : IAsyncLifetime
{
    private readonly RedisServer _primary = new();
    private readonly RedisServer _replica = new();
    private ConnectionMultiplexer _admin = null!;
    private ConnectionMultiplexer _node = null!;

    public async Task InitializeAsync()
    {
        await _primary.InitializeAsync();
        await _replica.InitializeAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync($"{_replica.Endpoint},{_primary.Endpoint},allowAdmin=true");
        await _admin.GetServer(_replica.Endpoint).ReplicaOfAsync(IPEndPoint.Parse(_primary.Endpoint));
        _node = await ConnectionMultiplexer.ConnectAsync(_replica.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _admin.DisposeAsync();
        await _replica.DisposeAsync();
        await _primary.DisposeAsync();
    }

    [Fact]
    public async Task A_Promotion_IsSeenWithin200Milliseconds_AndNotBeforeTheRecheck()
    {
        var clock = new FakeTimeProvider();
        var role = new RedisDatacenterRole(_node, clock);
        Assert.False(await role.IsWritableAsync());

        await _admin.GetServer(_replica.Endpoint).ExecuteAsync("REPLICAOF", "NO", "ONE");
        clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.False(await role.IsWritableAsync());
        clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.True(await role.IsWritableAsync());
    }

    [Fact]
    public async Task Writes_arriving_together_after_a_promotion_all_go_through_once_the_role_says_writable()
    {
        // As a switchover's held writes reach a node all at once: each asks the role, then writes at once if told so.
        var clock = new FakeTimeProvider();
        var role = new RedisDatacenterRole(_node, clock);
        Assert.False(await role.IsWritableAsync());
        Assert.True(_node.GetServer(_replica.Endpoint).IsReplica);

        await _admin.GetServer(_replica.Endpoint).ExecuteAsync("REPLICAOF", "NO", "ONE");
        clock.Advance(TimeSpan.FromMilliseconds(210));
        var writes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            if (!await role.IsWritableAsync())
            {
                return "not writable";
            }
            try
            {
                await _node.GetDatabase().StringSetAsync($"held-write-{i}", i);
                return "written";
            }
            catch (RedisException e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        })));

        Assert.All(writes, w => Assert.Equal("written", w));
    }

    [Fact]
    public async Task A_Primary_IsAskedAgainOnlyAfterASecond()
    {
        var clock = new FakeTimeProvider();
        await _admin.GetServer(_replica.Endpoint).ExecuteAsync("REPLICAOF", "NO", "ONE");
        var role = new RedisDatacenterRole(_node, clock);
        Assert.True(await role.IsWritableAsync());

        await _admin.GetServer(_replica.Endpoint).ReplicaOfAsync(IPEndPoint.Parse(_primary.Endpoint));
        clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.True(await role.IsWritableAsync());
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(await role.IsWritableAsync());
    }
}
