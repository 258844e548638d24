using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Nodes;

/// <summary>Talks to the datacenters' gateways: <c>PUT /gateway/drains</c>, <c>GET /gateway/status</c> and <c>/gateway/writes</c>.</summary>
public sealed class GatewayClient(IHttpClientFactory clients, ControlOptions options)
{
    public const string HttpClientName = "gateway";

    /// <summary>Tells <paramref name="gateway"/> that <paramref name="drained"/> are the drained nodes; its answer is its status.</summary>
    public Task<GatewayReport> PutDrainsAsync(string datacenter, string gateway, IReadOnlyList<string> drained, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(gateway), "/gateway/drains"))
        {
            Content = JsonContent.Create(new GatewayDrains(drained), ControlJsonContext.Default.GatewayDrains),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.GatewayKey);
        return SendAsync(request, datacenter, gateway, cancellationToken);
    }

    public Task<GatewayReport> ReadAsync(string datacenter, string gateway, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(gateway), "/gateway/status")), datacenter, gateway, cancellationToken);

    /// <summary>Sets how <paramref name="gateway"/> treats writes (<c>open</c>, <c>hold</c>, <c>forward</c>); its answer is its write state.</summary>
    /// <param name="within">How long to wait for the answer, if less than the client's own timeout.</param>
    public Task<GatewayWriteState> PutWritesAsync(string gateway, GatewayWriteMode mode, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(new Uri(gateway), "/gateway/writes"))
        {
            Content = JsonContent.Create(mode, ControlJsonContext.Default.GatewayWriteMode),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.GatewayKey);
        return SendWritesAsync(request, gateway, cancellationToken, within);
    }

    public Task<GatewayWriteState> ReadWritesAsync(string gateway, CancellationToken cancellationToken) =>
        SendWritesAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(gateway), "/gateway/writes")), gateway, cancellationToken);

    private async Task<GatewayWriteState> SendWritesAsync(HttpRequestMessage request, string gateway, CancellationToken cancellationToken,
        TimeSpan? within = null)
    {
        var (body, error) = await SendForBodyAsync(request, gateway, cancellationToken, within);
        if (error is not null)
        {
            return GatewayWriteState.Failed(gateway, error);
        }
        using (body)
        {
            var state = body!.RootElement;
            return new GatewayWriteState(gateway, state.GetProperty("mode").GetString(), state.GetProperty("held").GetInt32(),
                state.GetProperty("inFlight").GetInt32(), null);
        }
    }

    private async Task<GatewayReport> SendAsync(HttpRequestMessage request, string datacenter, string gateway, CancellationToken cancellationToken)
    {
        var (body, error) = await SendForBodyAsync(request, gateway, cancellationToken);
        if (error is not null)
        {
            return GatewayReport.Failed(gateway, error);
        }
        using (body)
        {
            try
            {
                return Read(body!.RootElement, datacenter, gateway);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                return GatewayReport.Failed(gateway, e.Message);
            }
        }
    }

    // The gateway's JSON answer, or why there is none (unreachable, no answer in time, an error status).
    private async Task<(JsonDocument? Body, string? Error)> SendForBodyAsync(HttpRequestMessage request, string gateway, CancellationToken cancellationToken,
        TimeSpan? within = null)
    {
        using (request)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (within is { } limit)
            {
                deadline.CancelAfter(limit);
            }
            try
            {
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, deadline.Token);
                var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(deadline.Token));
                if (!response.IsSuccessStatusCode)
                {
                    using (body)
                    {
                        var error = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
                        return (null, $"{request.Method} {request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode}: {error}");
                    }
                }
                return (body, null);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (null, e is not OperationCanceledException ? e.Message
                    : deadline.IsCancellationRequested && within is { } waited ? $"no answer within {waited.TotalMilliseconds:0} ms" : "no answer in time");
            }
        }
    }

    private static GatewayReport Read(JsonElement status, string datacenter, string gateway)
    {
        // A gateway of the other datacenter in the list would leave the node it should drain in rotation.
        var balances = status.GetProperty("datacenter").GetString();
        if (balances != datacenter)
        {
            return GatewayReport.Failed(gateway, $"the gateway balances datacenter '{balances}', not '{datacenter}'");
        }
        var instance = status.GetProperty("instance").GetString();
        var nodes = new Dictionary<string, GatewayNodeView>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in status.GetProperty("nodes").EnumerateArray())
        {
            nodes[node.GetProperty("id").GetString()!] = new GatewayNodeView(
                gateway,
                Reachable: true,
                Error: null,
                node.GetProperty("drained").GetBoolean(),
                node.GetProperty("inFlight").GetInt32(),
                node.GetProperty("healthy").GetBoolean(),
                node.GetProperty("available").GetBoolean(),
                node.GetProperty("probes").GetInt64(),
                node.GetProperty("lastProbe").GetString(),
                instance);
        }
        return new GatewayReport(gateway, null, nodes);
    }
}
