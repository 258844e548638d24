using System.Runtime.InteropServices;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as a request to stop in order, not a runtime exit: what <c>cdnctl up</c> and a
/// datacenter host both wait for before they stop their nodes.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    /// <param name="stop">Completed by either signal (and by nothing else here).</param>
    public StopSignals(TaskCompletionSource stop)
    {
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
