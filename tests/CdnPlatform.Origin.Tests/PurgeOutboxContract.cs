using CdnPlatform.Origin.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Origin.Tests;

/// <summary>What every purge outbox must do; run against memory and against a real redis-server.</summary>
public abstract class PurgeOutboxContract
{
    protected static readonly DateTimeOffset PublishedAt = DateTimeOffset.Parse("2026-12-02T09:30:00Z");

    protected FakeTimeProvider Time { get; } = new(PublishedAt);

    /// <summary>A fresh, empty outbox; outboxes made by one call share their entries, as a datacenter's nodes do.</summary>
    protected abstract Func<IPurgeOutbox> NewDatacenter();

    [Fact]
    public async Task Appended_IsPendingOldestFirst_UntilRemoved()
    {
        var outbox = NewDatacenter()();
        var first = await outbox.AppendAsync(["product-101"], PublishedAt);
        var second = await outbox.AppendAsync(["product-102", "product-103"], PublishedAt.AddSeconds(1));

        var pending = await outbox.PendingAsync(10);

        Assert.Equal([first.EntryId, second.EntryId], pending.Select(p => p.EntryId));
        Assert.Equal(["product-102", "product-103"], pending[1].Tags);
        Assert.Equal(PublishedAt.AddSeconds(1), pending[1].PublishedAt);

        await outbox.RemoveAsync(first);

        Assert.Equal([second.EntryId], (await outbox.PendingAsync(10)).Select(p => p.EntryId));
    }

    [Fact]
    public async Task Pending_IsSeenByEveryNode_AndAtMostTheCountAskedFor()
    {
        var datacenter = NewDatacenter();
        var writer = datacenter();
        for (var i = 0; i < 5; i++)
        {
            await writer.AppendAsync([$"product-{101 + i}"], PublishedAt);
        }

        var reader = datacenter();

        Assert.Equal(3, (await reader.PendingAsync(3)).Count);
        Assert.Equal(5, (await reader.PendingAsync(100)).Count);
    }

    [Fact]
    public async Task Claim_KeepsOtherNodesOff_UntilTheLeaseRunsOut()
    {
        var datacenter = NewDatacenter();
        var (first, second) = (datacenter(), datacenter());
        var entry = await first.AppendAsync(["product-101"], PublishedAt);

        Assert.True(await first.TryClaimAsync(entry, "n1", TimeSpan.FromSeconds(15)));
        Assert.True(await first.TryClaimAsync(entry, "n1", TimeSpan.FromSeconds(15)));
        Assert.False(await second.TryClaimAsync(entry, "n2", TimeSpan.FromSeconds(15)));

        await LetTheLeaseRunOutAsync(TimeSpan.FromSeconds(16));

        Assert.True(await second.TryClaimAsync(entry, "n2", TimeSpan.FromSeconds(15)));
    }

    /// <summary>Moves time past a lease: the fake clock for memory, real time (a short lease) for Redis.</summary>
    protected abstract Task LetTheLeaseRunOutAsync(TimeSpan by);
}
