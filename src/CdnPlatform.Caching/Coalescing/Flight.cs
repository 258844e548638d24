namespace CdnPlatform.Caching.Coalescing;

/// <summary>One origin request that other requests for the same URL are waiting on.</summary>
public sealed class Flight
{
    private readonly TaskCompletionSource<FlightOutcome> _landed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<StreamingFill> _streaming = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<FlightOutcome> Landed => _landed.Task;

    /// <summary>Ends when the leader publishes a body followers may read while it arrives; never, for most flights.</summary>
    public Task<StreamingFill> Streaming => _streaming.Task;

    /// <summary>Lets followers stream the response as it arrives (a large storable object). At most once per flight.</summary>
    public void Publish(StreamingFill fill) => _streaming.TrySetResult(fill);

    internal void Complete(FlightOutcome outcome) => _landed.TrySetResult(outcome);
}
