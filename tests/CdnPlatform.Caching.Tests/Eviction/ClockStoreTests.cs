using CdnPlatform.Caching.Eviction;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>The store's contract under CLOCK eviction.</summary>
public sealed class ClockStoreTests : MemoryCacheStoreTests
{
    protected override EvictionPolicy Policy => EvictionPolicy.Clock;
}
