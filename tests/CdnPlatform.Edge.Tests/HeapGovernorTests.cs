using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Storage;

namespace CdnPlatform.Edge.Tests;

/// <summary>When the governor asks for a gen2 collection: once 5 % of the budget died since the GC last collected gen2.</summary>
public sealed class HeapGovernorTests
{
    private const long Budget = 1_000_000; // threshold 50,000 bytes

    private static HeapGovernor Governor() => new(new MemoryCacheStore(Budget), TimeProvider.System);

    [Fact]
    public void Nothing_is_due_until_a_twentieth_of_the_budget_died_since_the_last_gen2()
    {
        var governor = Governor();
        Assert.False(governor.IsCollectionDue(releasedManagedBytes: 10_000, gen2Collections: 3)); // the first look sets the mark

        Assert.False(governor.IsCollectionDue(59_999, 3));
        Assert.False(governor.IsCollectionDue(60_000, 3));
        Assert.True(governor.IsCollectionDue(60_001, 3));
    }

    [Fact]
    public void A_gen2_collection_by_anyone_starts_the_tally_again()
    {
        var governor = Governor();
        governor.IsCollectionDue(0, 7);
        Assert.True(governor.IsCollectionDue(80_000, 7));

        Assert.False(governor.IsCollectionDue(80_000, 8)); // the one asked for ran
        Assert.False(governor.IsCollectionDue(120_000, 8));
        Assert.True(governor.IsCollectionDue(130_001, 8));
    }
}
