using System.Threading.Channels;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Cluster.Transport;
using CdnPlatform.Testing;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Tests;

/// <summary>The DNS change contract over a real redis-server, the control plane and the edge each on a connection of its own.</summary>
public sealed class RedisDnsChangeBusTests : DnsChangeBusContract, IClassFixture<RedisServer>, IDisposable
{
    // A prefix per test keeps one test's channel out of another's.
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N");
    private readonly RedisConnections _connections;

    public RedisDnsChangeBusTests(RedisServer redis) => _connections = new RedisConnections(redis.Endpoint);

    protected override async Task<(IDnsChangeBus Control, IDnsChangeBus Edge)> ConnectAsync() =>
        (new RedisDnsChangeBus(await _connections.ConnectAsync(), _prefix), new RedisDnsChangeBus(await _connections.ConnectAsync(), _prefix));

    [Fact]
    public async Task Transport_IsNamedRedis() =>
        Assert.Equal("redis", new RedisDnsChangeBus(await _connections.ConnectAsync(), _prefix).Transport);

    [Fact]
    public async Task DifferentKeyPrefixes_DoNotHearEachOther()
    {
        var mine = new RedisDnsChangeBus(await _connections.ConnectAsync(), _prefix);
        var other = new RedisDnsChangeBus(await _connections.ConnectAsync(), _prefix + "-other");
        var received = Channel.CreateUnbounded<uint>();
        await using var _ = await mine.SubscribeAsync(c => received.Writer.WriteAsync(c.Serial).AsTask());

        await other.PublishAsync(new DnsChange(["shop.test."], 1, At));
        await mine.PublishAsync(new DnsChange(["shop.test."], 2, At));

        Assert.Equal(2u, await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
        Assert.False(received.Reader.TryRead(out var foreign), $"change {foreign} crossed prefixes");
    }

    [Fact]
    public async Task AMalformedSignal_IsSkipped_AndTheNextOneArrives()
    {
        var connection = await _connections.ConnectAsync();
        var bus = new RedisDnsChangeBus(await _connections.ConnectAsync(), _prefix);
        var received = Channel.CreateUnbounded<uint>();
        await using var _ = await bus.SubscribeAsync(c => received.Writer.WriteAsync(c.Serial).AsTask());
        var channel = new RedisChannel(_prefix + ":dns:changed", RedisChannel.PatternMode.Literal);

        await connection.GetSubscriber().PublishAsync(channel, "not json");
        await connection.GetSubscriber().PublishAsync(channel, """{"serial":1}""");
        await bus.PublishAsync(new DnsChange(["shop.test."], 3, At));

        Assert.Equal(3u, await received.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience));
    }

    [Fact]
    public async Task RedisUnreachable_PublishAndSubscribeThrow()
    {
        var dead = await ConnectionMultiplexer.ConnectAsync(RedisConnectionOptions.Parse($"127.0.0.1:{FreePort.OnLoopback()},connectTimeout=300"));
        using var _ = dead;
        var bus = new RedisDnsChangeBus(dead, _prefix);

        await Assert.ThrowsAnyAsync<RedisException>(() => bus.PublishAsync(new DnsChange(["shop.test."], 1, At)));
        await Assert.ThrowsAnyAsync<RedisException>(() => bus.SubscribeAsync(_ => Task.CompletedTask));
    }

    public void Dispose() => _connections.Dispose();
}
