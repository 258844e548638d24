using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CdnPlatform.LoadTest.Http;
using CdnPlatform.LoadTest.Recording;

namespace CdnPlatform.LoadTest.Workload;

/// <summary>
/// The connections to one POP (<see cref="Http1Pool"/>: at most <c>connections</c>, kept alive, shared by every visitor of
/// the POP; cookies are the visitors', sent by hand). A request is written as HTTP/1.1 bytes — an anonymous GET's bytes are
/// made once per path — and its body read to the end, so the latency covers the whole answer and a request costs little
/// CPU beside the server's.
/// </summary>
public sealed class SiteClient : IDisposable
{
    private readonly Http1Pool _pool;
    private readonly string _site;
    private readonly ConcurrentDictionary<string, byte[]> _anonymousGets = new(StringComparer.Ordinal);

    /// <param name="time">The load's clock: answers' end times are read on it, so latencies from intended times end there.</param>
    public SiteClient(PopTarget pop, string site, int connections, TimeSpan timeout, TimeProvider? time = null)
    {
        Pop = pop;
        _site = Safe(site);
        _pool = new Http1Pool(pop.Address, site, connections, timeout, time);
    }

    public PopTarget Pop { get; }

    /// <exception cref="IOException">No (whole) answer: refused, reset, closed.</exception>
    /// <exception cref="TimeoutException">No whole answer within the timeout.</exception>
    public Task<SiteAnswer> GetAsync(string path, string? cookie, bool text, CancellationToken cancellationToken)
    {
        Safe(path);
        var request = cookie is null && !text
            ? _anonymousGets.GetOrAdd(path, p => Encode($"GET {p} HTTP/1.1\r\nHost: {_site}\r\nUser-Agent: cdnload\r\n\r\n"))
            : Encode($"GET {path} HTTP/1.1\r\nHost: {_site}\r\nUser-Agent: cdnload\r\n{(text ? "Accept: application/json\r\n" : "")}{CookieLine(cookie)}\r\n");
        return SendAsync(request, text, idempotent: true, cancellationToken);
    }

    public Task<SiteAnswer> PostFormAsync(string path, string? cookie, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var body = string.Join('&', form.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        return PostAsync(path, $"{CookieLine(cookie)}Accept: application/json\r\n", "application/x-www-form-urlencoded", body, cancellationToken);
    }

    public Task<SiteAnswer> PostJsonAsync(string path, string bearer, string json, CancellationToken cancellationToken) =>
        PostAsync(path, $"Authorization: Bearer {Safe(bearer)}\r\nAccept: application/json\r\n", "application/json", json, cancellationToken);

    /// <summary>Ends every request under way to this POP (the run was stopped).</summary>
    public void Abort() => _pool.Abort();

    public void Dispose() => _pool.Dispose();

    private Task<SiteAnswer> PostAsync(string path, string fields, string contentType, string body, CancellationToken cancellationToken)
    {
        Safe(path);
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encode(string.Create(CultureInfo.InvariantCulture,
            $"POST {path} HTTP/1.1\r\nHost: {_site}\r\nUser-Agent: cdnload\r\n{fields}Content-Type: {contentType}\r\nContent-Length: {content.Length}\r\n\r\n"));
        var request = new byte[head.Length + content.Length];
        head.CopyTo(request, 0);
        content.CopyTo(request, head.Length);
        // A POST is not sent twice: a write the shop may have applied must not be applied again.
        return SendAsync(request, text: true, idempotent: false, cancellationToken);
    }

    private async Task<SiteAnswer> SendAsync(byte[] request, bool text, bool idempotent, CancellationToken cancellationToken)
    {
        var answer = await _pool.SendAsync(request, text, idempotent, cancellationToken);
        return new SiteAnswer(answer.Status, ResponseClassifier.IsHit(answer.CacheStatus), answer.ServedBy, answer.Bytes, answer.Text, answer.SetCookies, answer.ServiceTime, answer.Ended);
    }

    private static string CookieLine(string? cookie) => cookie is null ? "" : $"Cookie: {Safe(cookie)}\r\n";

    private static byte[] Encode(string head) => Encoding.UTF8.GetBytes(head);

    // Values here come from the sitemap, the scenario and the shop's own cookies; a CR or LF in one would split the request.
    private static string Safe(string value) =>
        value.AsSpan().ContainsAny('\r', '\n') ? throw new ArgumentException($"a request field holds a line break: '{value}'") : value;
}
