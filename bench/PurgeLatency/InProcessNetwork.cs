using CdnPlatform.Cli.Topology;

/// <summary>Every node in the benchmark's own process (<see cref="LocalNetwork"/>), on free ports.</summary>
internal sealed class InProcessNetwork(LocalNetwork network) : IBenchNetwork
{
    public static async Task<IBenchNetwork> StartAsync(string redis, string apiKey) =>
        new InProcessNetwork(await LocalNetwork.StartAsync(new LocalNetworkOptions
        {
            ApiKey = apiKey,
            Redis = redis,
            NodePort = 0,
            ControlPort = 0,
            DnsPort = 0,
            LogLevel = "Error",
        }));

    public string ControlUrl => network.ControlUrl;

    public IReadOnlyList<string> EdgeUrls => [.. network.EdgeNodes.Select(e => e.Url)];

    public ValueTask DisposeAsync() => network.DisposeAsync();
}
