using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Client;

/// <summary>One call to the control plane, as every cdnctl command makes it: the body on success, its <c>error</c> as an exception otherwise.</summary>
public static class ControlApiCalls
{
    /// <exception cref="ControlApiException">The control plane answered with an error.</exception>
    /// <exception cref="HttpRequestException">The control plane cannot be reached.</exception>
    public static async Task<T> SendAsync<T>(HttpClient client, HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ControlApiException((int)response.StatusCode, await ErrorOfAsync(response, cancellationToken));
            }
            return (await response.Content.ReadFromJsonAsync(type, cancellationToken))!;
        }
    }

    private static async Task<string> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.ApiError, cancellationToken);
            return body?.Error ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }
}
