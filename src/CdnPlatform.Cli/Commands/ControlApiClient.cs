using System.Net.Http.Headers;

namespace CdnPlatform.Cli.Commands;

/// <summary>The HTTP client cdnctl talks to the control plane with: base URL and key from options or environment.</summary>
internal static class ControlApiClient
{
    public const string UrlVariable = "CDN_CONTROL";
    public const string KeyVariable = "CDN_API_KEY";

    public static HttpClient Create(string? url, string? apiKey)
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri(url ?? Environment.GetEnvironmentVariable(UrlVariable) ?? "http://127.0.0.1:8700"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var key = apiKey ?? Environment.GetEnvironmentVariable(KeyVariable);
        if (!string.IsNullOrEmpty(key))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }
}
