namespace CdnPlatform.Cli.Deploy;

/// <summary>How a rolling deploy restarts a drained, idle node: through the control plane, or by a command of the operator's.</summary>
public interface IRestartStep
{
    /// <summary>Null once the node has been restarted, or why it could not be.</summary>
    /// <param name="index">The node's position in its datacenter's list, from 1.</param>
    Task<string?> RestartAsync(string datacenter, string node, int index, CancellationToken cancellationToken);
}
