using System.CommandLine;
using CdnPlatform.Cli.Deploy;
using CdnPlatform.Client;

namespace CdnPlatform.Cli.Commands;

/// <summary>The HTTP client cdnctl talks to the control plane with: base URL and key from options or environment.</summary>
internal static class ControlApiClient
{
    public const string UrlVariable = ControlHttpClient.UrlVariable;
    public const string KeyVariable = ControlHttpClient.KeyVariable;

    /// <summary><c>--control URL</c>, which every command that calls the control plane takes.</summary>
    public static Option<string?> UrlOption() =>
        new("--control") { Description = $"Control plane URL (default ${UrlVariable} or http://127.0.0.1:8700)" };

    /// <summary><c>--api-key KEY</c>, which every command that calls the control plane takes.</summary>
    public static Option<string?> KeyOption() => new("--api-key") { Description = $"API key (default ${KeyVariable})" };

    /// <summary>
    /// Runs a command's calls to the control plane: a refusal, or a control plane out of reach, is printed (with
    /// <paramref name="afterFailure"/>) and becomes the exit code, 2 for a request refused as wrong (400, 401, 403,
    /// 404), 3 for the rest.
    /// </summary>
    public static async Task<int> CallAsync(HttpClient client, Func<Task<int>> run, string afterFailure = "")
    {
        try
        {
            return await run();
        }
        catch (ControlApiException e)
        {
            Console.Error.WriteLine($"the control plane refused ({e.StatusCode}): {e.Message}{afterFailure}");
            return e.StatusCode is 400 or 401 or 403 or 404 ? 2 : 3;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"cannot reach the control plane at {client.BaseAddress}: {e.Message}{afterFailure}");
            return 3;
        }
    }

    public static HttpClient Create(string? url, string? apiKey) => ControlHttpClient.Create(url, apiKey);
}
