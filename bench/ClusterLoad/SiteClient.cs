using System.Net.Http.Headers;
using CdnPlatform.Cli.Topology;

namespace ClusterLoad;

/// <summary>Requests to the shop as visitors make them: through an edge, with the site's Host.</summary>
internal sealed class SiteClient : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 512,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task<HttpResponseMessage> GetAsync(string edge, string path, string? cookie = null, bool json = false, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, edge + path);
        return SendAsync(request, cookie, json, cancellationToken);
    }

    public Task<HttpResponseMessage> PostFormAsync(string edge, string path, string? cookie, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, edge + path) { Content = new FormUrlEncodedContent(form) };
        return SendAsync(request, cookie, json: true, cancellationToken);
    }

    public Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        _http.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? cookie, bool json, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Host = LocalNetwork.SiteHost;
            if (json)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            }
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }
            return await _http.SendAsync(request, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();
}
