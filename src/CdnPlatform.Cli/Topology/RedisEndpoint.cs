namespace CdnPlatform.Cli.Topology;

/// <summary>A redis-server of the local network: its role (<c>control</c>, <c>primary</c>, <c>dr</c>) and its port on 127.0.0.1.</summary>
public sealed record RedisEndpoint(string Role, int Port)
{
    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";
}
