namespace CdnPlatform.Cli.Topology;

/// <summary>A gateway or origin node inside a <see cref="DatacenterProcess"/>, stopped, killed and restarted through its host.</summary>
internal sealed class DatacenterNode(DatacenterProcess datacenter, string name, string url) : ILocalNode
{
    public string Url => url;

    public Task StopAsync() => datacenter.SendAsync(name, "stop");

    public Task KillAsync() => datacenter.SendAsync(name, "kill");

    public Task RestartAsync() => datacenter.SendAsync(name, "restart");

    // It dies with its datacenter's process group, which the network disposes.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
