namespace CdnPlatform.Control.Failover;

/// <summary>The state in this process only, for a network without Redis: a restart starts again from the configuration.</summary>
public sealed class InMemoryFailoverStateStore : IFailoverStateStore
{
    private volatile FailoverState? _state;

    public Task<FailoverState?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(_state);

    public Task SaveAsync(FailoverState state, CancellationToken cancellationToken)
    {
        _state = state;
        return Task.CompletedTask;
    }
}
