using CdnPlatform.Origin.Publishing;

namespace CdnPlatform.Origin.Tests;

public sealed class InMemoryPurgeOutboxTests : PurgeOutboxContract
{
    protected override Func<IPurgeOutbox> NewDatacenter()
    {
        var shared = new InMemoryPurgeOutbox(Time);
        return () => shared;
    }

    protected override Task LetTheLeaseRunOutAsync(TimeSpan by)
    {
        Time.Advance(by);
        return Task.CompletedTask;
    }
}
