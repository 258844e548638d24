namespace CdnPlatform.Cli.Topology;

/// <summary>One running node of the local network: its role, name and the address it listens on.</summary>
public sealed record NetworkNode(string Role, string Name, string Url)
{
    /// <summary>How many times <see cref="LocalNetwork.RestartNodeAsync"/> has restarted it.</summary>
    public int Restarts { get; init; }
}
