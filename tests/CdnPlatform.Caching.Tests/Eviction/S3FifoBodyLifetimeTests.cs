using CdnPlatform.Caching.Eviction;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>Stored bodies' lifetime under S3-FIFO eviction.</summary>
public sealed class S3FifoBodyLifetimeTests : StoreBodyLifetimeTests
{
    protected override EvictionPolicy Policy => EvictionPolicy.S3Fifo;
}
