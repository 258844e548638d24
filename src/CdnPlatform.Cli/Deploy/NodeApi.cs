using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using CdnPlatform.Client;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Cli.Deploy;

/// <summary>The control plane's <c>/v1/nodes</c>, as cdnctl calls it; the bodies are the control plane's own types.</summary>
/// <exception cref="ControlApiException">Any call the control plane answers with an error.</exception>
/// <exception cref="HttpRequestException">The control plane cannot be reached.</exception>
public sealed class NodeApi(HttpClient client)
{
    /// <summary>The longest long poll asked for: within the client's timeout, and the control plane's limit of 30 s.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(20);

    public Uri? Control => client.BaseAddress;

    public Task<NodeList> ListAsync(TimeSpan? wait, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/v1/nodes" + Wait(wait), ControlJsonContext.Default.NodeList, cancellationToken);

    public Task<NodeView> GetAsync(string datacenter, string node, TimeSpan? wait, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, Path(datacenter, node) + Wait(wait), ControlJsonContext.Default.NodeView, cancellationToken);

    public Task<NodeView> DrainAsync(string datacenter, string node, TimeSpan? wait, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Path(datacenter, node) + "/drain" + Wait(wait), ControlJsonContext.Default.NodeView, cancellationToken);

    public Task<NodeView> UndrainAsync(string datacenter, string node, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Path(datacenter, node) + "/undrain", ControlJsonContext.Default.NodeView, cancellationToken);

    public Task<NodeView> RestartAsync(string datacenter, string node, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Path(datacenter, node) + "/restart", ControlJsonContext.Default.NodeView, cancellationToken);

    private static string Path(string datacenter, string node) => $"/v1/nodes/{Uri.EscapeDataString(datacenter)}/{Uri.EscapeDataString(node)}";

    private static string Wait(TimeSpan? wait) =>
        wait is { } w ? "?wait=" + Math.Min(w.TotalSeconds, LongestWait.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture) : "";

    private Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        ControlApiCalls.SendAsync(client, new HttpRequestMessage(method, path), type, cancellationToken);
}
