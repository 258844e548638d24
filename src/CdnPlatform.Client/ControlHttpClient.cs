using System.Net.Http.Headers;

namespace CdnPlatform.Client;

/// <summary>The HTTP client a tool talks to the control plane with: base URL and key from its options or the environment.</summary>
public static class ControlHttpClient
{
    public const string UrlVariable = "CDN_CONTROL";
    public const string KeyVariable = "CDN_API_KEY";
    public const string DefaultUrl = "http://127.0.0.1:8700";

    /// <param name="url">Null: <c>$CDN_CONTROL</c>, else <see cref="DefaultUrl"/>.</param>
    /// <param name="apiKey">Null: <c>$CDN_API_KEY</c>, else no key.</param>
    public static HttpClient Create(string? url, string? apiKey)
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri(url ?? Environment.GetEnvironmentVariable(UrlVariable) ?? DefaultUrl),
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
