using System.Runtime.CompilerServices;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// This test process runs many shop nodes at once (each test class its own, xUnit running classes in parallel), all on
/// one thread pool that on two cores starts with two threads and adds one every half second. A node blocks a thread on
/// Redis while it starts (the connect, the framework's synchronous key ring read), and Redis replies then queue
/// behind them into StackExchange.Redis timeouts: a full run once failed a publish's transaction that way, with
/// nothing sent yet ("qu: 3, qs: 0", 6 busy workers, 18 queued items). <c>cdnctl up</c> raises the floor for the same
/// reason (<c>LocalNetwork</c>); a node in its own process blocks only itself, once.
/// </summary>
internal static class TestProcess
{
    [ModuleInitializer]
    internal static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
    }
}
