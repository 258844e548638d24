namespace CdnPlatform.Cli.Topology;

/// <summary>A node <see cref="LocalNetwork"/> started: in this process, or an origin node in a process of its own.</summary>
public interface ILocalNode : IAsyncDisposable
{
    string Url { get; }

    /// <summary>Stops it in order: in-flight requests finish, then the listener goes.</summary>
    Task StopAsync();

    /// <summary>Stops it as a crash would: connections in flight are cut at once.</summary>
    Task KillAsync();

    /// <summary>Stops it and starts it again on the same URL from the same settings; returns once it listens (or is ready).</summary>
    Task RestartAsync();
}
