using CdnPlatform.LoadTest.Recording;

namespace CdnPlatform.LoadTest.Events;

/// <summary>Something a scenario does to the network while the load runs, marked on the recorder's timeline.</summary>
public interface ILoadEvent
{
    /// <param name="stop">The load is over: stop starting new steps, but finish (or undo) what is under way.</param>
    Task RunAsync(LoadRecorder recorder, CancellationToken stop);
}
