using System.Buffers;
using System.Net.Http.Headers;

namespace CdnPlatform.LoadTest.Workload;

/// <summary>
/// The connections to one POP: one <see cref="SocketsHttpHandler"/> with at most <c>connections</c> of them, kept alive
/// and shared by every visitor of the POP (cookies are the visitors', sent by hand, not the handler's jar). Bodies are
/// read to the end into a pooled buffer, so a request costs what HttpClient costs and the latency covers the whole body.
/// </summary>
public sealed class SiteClient : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");
    private readonly HttpClient _client;
    private readonly string _site;

    public SiteClient(PopTarget pop, string site, int connections, TimeSpan timeout)
    {
        Pop = pop;
        _site = site;
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = timeout < TimeSpan.FromSeconds(5) ? timeout : TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = pop.Address,
            Timeout = timeout,
        };
    }

    public PopTarget Pop { get; }

    public Task<SiteAnswer> GetAsync(string path, string? cookie, bool text, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cookie, text, cancellationToken);

    public Task<SiteAnswer> PostFormAsync(string path, string? cookie, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }, cookie, text: true, cancellationToken);

    public Task<SiteAnswer> PostJsonAsync(string path, string bearer, string json, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return SendAsync(request, null, text: true, cancellationToken);
    }

    /// <exception cref="HttpRequestException">No answer: refused, reset.</exception>
    /// <exception cref="TaskCanceledException">No answer within the timeout (inner <see cref="TimeoutException"/>), or cancelled.</exception>
    public async Task<SiteAnswer> SendAsync(HttpRequestMessage request, string? cookie, bool text, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Host = _site;
            if (cookie is not null)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookie);
            }
            if (text)
            {
                request.Headers.Accept.Add(Json);
            }
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var hit = Recording.ResponseClassifier.IsHit(response.Headers.TryGetValues("Cache-Status", out var cacheStatus) ? cacheStatus : null);
            var servedBy = response.Headers.TryGetValues("X-Served-By", out var served) ? served.FirstOrDefault() : null;
            var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : null;
            if (text)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                return new SiteAnswer((int)response.StatusCode, hit, servedBy, body.Length, body, cookies);
            }
            return new SiteAnswer((int)response.StatusCode, hit, servedBy, await DrainAsync(response.Content, cancellationToken), null, cookies);
        }
    }

    public void Dispose() => _client.Dispose();

    private static async Task<long> DrainAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
