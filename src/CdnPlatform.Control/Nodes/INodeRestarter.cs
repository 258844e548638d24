namespace CdnPlatform.Control.Nodes;

/// <summary>
/// Restarts an origin node, for <c>POST /v1/nodes/{dc}/{node}/restart</c>. Only a host that can do it registers
/// one (<c>cdnctl up</c>, whose nodes run in its own process); without it the endpoint answers 501, and a deploy
/// restarts nodes by its own command.
/// </summary>
public interface INodeRestarter
{
    /// <summary>Returns once the node listens again, at the address it had.</summary>
    /// <exception cref="NodeRestartException">The node could not be restarted.</exception>
    Task RestartAsync(string datacenter, string node, CancellationToken cancellationToken);
}
