using CdnPlatform.Origin;
using CdnPlatform.Testing;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>Starts real hosts on loopback, the way <c>cdnctl up</c> does, on ports the OS picks.</summary>
internal static class TestHosts
{
    public const string Datacenter = "primary";

    public const string AdminKey = "gateway-admin-key-0123456789";

    private static readonly string[] Common = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"];

    public static Task<RunningHost> StartOriginAsync(string node, params string[] extraArgs) =>
        RunningHost.StartAsync(OriginHost.Build(
            [.. Common, "--Origin:Node", node, "--Origin:Datacenter", Datacenter, .. extraArgs]));

    /// <summary>
    /// A gateway over the named nodes, probing every second (the shortest interval its options allow), drained
    /// with <see cref="AdminKey"/>; <paramref name="extraArgs"/> come last and win.
    /// </summary>
    public static Task<RunningHost> StartGatewayAsync(IEnumerable<(string Name, Uri Address)> nodes, params string[] extraArgs)
    {
        var nodeArgs = nodes.SelectMany((node, index) => new[]
        {
            $"--Gateway:Nodes:{index}:Name", node.Name, $"--Gateway:Nodes:{index}:Url", node.Address.AbsoluteUri,
        });
        return RunningHost.StartAsync(OriginGatewayHost.Build(
            [.. Common, "--Gateway:Datacenter", Datacenter, "--Gateway:HealthCheckIntervalSeconds", "1", "--Gateway:AdminKey", AdminKey,
             .. nodeArgs, .. extraArgs]));
    }

    public static HttpClient ClientFor(Uri address) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(10),
        };
}
