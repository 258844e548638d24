using CdnPlatform.Control.Nodes;

namespace CdnPlatform.IntegrationTests;

/// <summary>A node restarter that only remembers what it was asked to restart.</summary>
internal sealed class RecordingRestarter : INodeRestarter
{
    public List<(string Datacenter, string Node)> Restarted { get; } = [];

    public Task RestartAsync(string datacenter, string node, CancellationToken cancellationToken)
    {
        Restarted.Add((datacenter, node));
        return Task.CompletedTask;
    }
}
