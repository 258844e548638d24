namespace CdnPlatform.Caching.Coalescing;

/// <summary>One origin request that other requests for the same URL are waiting on.</summary>
public sealed class Flight
{
    private readonly TaskCompletionSource<FlightOutcome> _landed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<FlightOutcome> Landed => _landed.Task;

    internal void Complete(FlightOutcome outcome) => _landed.TrySetResult(outcome);
}
