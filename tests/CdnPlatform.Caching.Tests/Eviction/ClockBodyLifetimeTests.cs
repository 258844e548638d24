using CdnPlatform.Caching.Eviction;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>Stored bodies' lifetime under CLOCK eviction.</summary>
public sealed class ClockBodyLifetimeTests : StoreBodyLifetimeTests
{
    protected override EvictionPolicy Policy => EvictionPolicy.Clock;
}
