using Microsoft.Extensions.Hosting;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// The lifetime of a node that runs inside <c>cdnctl</c>: it ignores Ctrl+C and SIGTERM, which belong to
/// the launcher. Without it each of the twelve nodes' console lifetimes would swallow the signal and stop
/// itself, while the launcher kept waiting.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
