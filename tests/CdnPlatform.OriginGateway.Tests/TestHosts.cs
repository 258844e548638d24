using CdnPlatform.Origin;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>Starts real hosts on loopback, the way <c>cdnctl up</c> does, on ports the OS picks.</summary>
internal static class TestHosts
{
    public const string Datacenter = "primary";

    private static readonly string[] Common = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"];

    public static Task<RunningHost> StartOriginAsync(string node, params string[] extraArgs) =>
        RunningHost.StartAsync(OriginHost.Build(
            [.. Common, "--Origin:Node", node, "--Origin:Datacenter", Datacenter, .. extraArgs]));

    /// <summary>A gateway probing every second, the shortest interval its options allow; <paramref name="extraArgs"/> come last and win.</summary>
    public static Task<RunningHost> StartGatewayAsync(IEnumerable<Uri> nodes, params string[] extraArgs)
    {
        var nodeArgs = nodes.SelectMany((node, index) => new[] { $"--Gateway:Nodes:{index}", node.AbsoluteUri });
        return RunningHost.StartAsync(OriginGatewayHost.Build(
            [.. Common, "--Gateway:Datacenter", Datacenter, "--Gateway:HealthCheckIntervalSeconds", "1", .. nodeArgs, .. extraArgs]));
    }

    public static HttpClient ClientFor(Uri address) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(10),
        };
}
