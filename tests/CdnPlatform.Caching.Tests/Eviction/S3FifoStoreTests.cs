using CdnPlatform.Caching.Eviction;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>The store's contract under S3-FIFO eviction.</summary>
public sealed class S3FifoStoreTests : MemoryCacheStoreTests
{
    protected override EvictionPolicy Policy => EvictionPolicy.S3Fifo;
}
