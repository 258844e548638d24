namespace CdnPlatform.Cli.Topology;

/// <summary>How <see cref="LocalNetwork"/> lays out the network on this machine.</summary>
public sealed record LocalNetworkOptions
{
    /// <summary>The control plane's API key; <c>cdnctl up</c> generates one when none is given.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Redis to carry purges (<c>host:port</c>); null for the in-memory bus inside this process.</summary>
    public string? Redis { get; init; }

    /// <summary>Port of every edge, gateway and origin node (each has its own address). 0 picks free ports.</summary>
    public int NodePort { get; init; } = 8080;

    public int ControlPort { get; init; } = 8700;

    /// <summary>Prefix of Redis keys and channels, so parallel test networks on one Redis stay apart.</summary>
    public string ClusterKeyPrefix { get; init; } = "cdn";

    public string LogLevel { get; init; } = "Warning";
}
