using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>The contract in memory: one store is both handles, as one process is both control planes.</summary>
public sealed class InMemoryFailoverStateStoreTests : FailoverStateStoreContract
{
    protected override Task<(IFailoverStateStore Saving, IFailoverStateStore Loading)> ConnectAsync()
    {
        var store = new InMemoryFailoverStateStore();
        return Task.FromResult<(IFailoverStateStore, IFailoverStateStore)>((store, store));
    }
}
