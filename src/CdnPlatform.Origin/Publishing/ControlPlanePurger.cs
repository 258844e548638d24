using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CdnPlatform.Origin.Publishing;

/// <summary>Sends a publish's tags to the control plane's purge API and follows the purge until it is done.</summary>
public sealed class ControlPlanePurger(IHttpClientFactory httpClients, IPurgeTargetSource targets)
{
    public const string HttpClientName = "control-plane";

    /// <returns>Null when there is nowhere to purge (no <c>Origin:Purge</c>).</returns>
    public async Task<PurgeAttempt?> SendAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (targets.Current is not { } target)
        {
            return null;
        }

        try
        {
            using var request = Request(target, HttpMethod.Post, "/v1/purge");
            request.Content = JsonContent.Create(new { site = target.Site, tags });
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if ((int)response.StatusCode == StatusCodes.Status202Accepted && body.TryGetProperty("id", out var id))
            {
                return new PurgeAttempt(id.GetString(), null);
            }
            var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() : null;
            return new PurgeAttempt(null, $"the purge API answered {(int)response.StatusCode}: {error}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new PurgeAttempt(null, $"the purge API at {target.ControlUrl} is unreachable: {e.Message}");
        }
    }

    /// <summary>Long-polls the purge's status (<c>?wait=</c>) until every edge applied it or <paramref name="wait"/> is over.</summary>
    public async Task<PurgeCompletion> WaitAsync(string purgeId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (targets.Current is not { } target)
        {
            return new PurgeCompletion("unknown", null);
        }

        try
        {
            var seconds = wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            using var request = Request(target, HttpMethod.Get, $"/v1/purge/{Uri.EscapeDataString(purgeId)}?wait={seconds}");
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var state = body.TryGetProperty("state", out var s) ? s.GetString() ?? "unknown" : "unknown";
            double? propagation = body.TryGetProperty("propagationMs", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null;
            return new PurgeCompletion(state, propagation);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Accepted already: the control plane's log delivers it; only the answer's timing is unknown.
            return new PurgeCompletion("unknown", null);
        }
    }

    private static HttpRequestMessage Request(PurgeTarget target, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(target.ControlUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
        return request;
    }
}
