using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A real HTTP origin on loopback whose answers the test dictates through the query string
/// (<c>?cc=public,+s-maxage=60&amp;cookie=1&amp;size=10&amp;chunked</c>) and which counts the requests it served per path.
/// </summary>
public sealed class TestOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();

    private readonly TimeProvider _clock;

    private TestOrigin(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>When set, every request gets this status (an origin in trouble).</summary>
    public int? ForcedStatus { get; set; }

    /// <summary>When set, every request is read whole and then its connection aborted, as a crashing origin would.</summary>
    public bool CutsConnections { get; set; }

    /// <summary>When set, every answer waits this long before its headers, as a stalled origin's would (its storage paused).</summary>
    public TimeSpan? Stall { get; set; }

    public string Url => _app.Urls.First();

    /// <summary>Visitors' requests being answered right now, and the most there were at once.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    private int _inFlight;
    private int _peakInFlight;

    /// <summary>Requests for the path that reached the origin, the edge's own health probes aside.</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <param name="clock">The origin's Date comes from it: with the edge on the same moved clock, ages stay consistent.</param>
    /// <param name="url">Where to listen; a free port by default. An origin that comes back takes the URL it had.</param>
    public static async Task<TestOrigin> StartAsync(TimeProvider? clock = null, string? url = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url ?? "http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ResponseHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1);
        var app = builder.Build();
        var origin = new TestOrigin(app, clock ?? TimeProvider.System);
        app.Run(origin.ServeAsync);
        await app.StartAsync();
        return origin;
    }

    /// <summary>How many requests for the path arrived with a validator (If-None-Match / If-Modified-Since).</summary>
    public int ConditionalHits(string path) => _conditionalHits.GetValueOrDefault(path);

    private readonly ConcurrentDictionary<string, int> _conditionalHits = new();

    /// <summary>The fields of the last request for the path, as the origin received them (names lowercased).</summary>
    public IReadOnlyDictionary<string, string> LastRequest(string path) => _lastRequests.GetValueOrDefault(path) ?? new Dictionary<string, string>();

    private readonly ConcurrentDictionary<string, Dictionary<string, string>> _lastRequests = new();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();

    /// <summary>Lets every answer to the path that <c>?hold=N</c> stopped after N body bytes send the rest.</summary>
    public void Release(string path) => Hold(path).TrySetResult();

    private TaskCompletionSource Hold(string path) => _holds.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _abandoned = new();

    /// <summary>Completes when the edge gave up a request to the path while <c>?hold=N</c> held its answer.</summary>
    public Task AbandonedAsync(string path) => Abandoned(path).Task;

    private TaskCompletionSource Abandoned(string path) => _abandoned.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/healthz" && request.Headers.UserAgent.ToString().StartsWith("CdnPlatform-Edge/", StringComparison.Ordinal))
        {
            // The edge's own probe of the origin (GET /edge/origins), not a visitor's request: not a hit.
            return;
        }
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var peak = _peakInFlight; inFlight > peak; peak = _peakInFlight)
        {
            Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak);
        }
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var count = _hits.AddOrUpdate(request.Path.Value!, 1, (_, n) => n + 1);
        var seen = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        // Not a header: where the connection came from, under a name no header can have.
        seen[":remote"] = context.Connection.RemoteIpAddress?.ToString() ?? "";
        _lastRequests[request.Path.Value!] = seen;
        var response = context.Response;
        response.Headers.Date = CdnPlatform.Http.Headers.HttpDate.Format(_clock.GetUtcNow());
        if (Stall is { } stall)
        {
            await Task.Delay(stall);
        }
        if (CutsConnections)
        {
            await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Abort();
            return;
        }
        if (ForcedStatus is { } forced)
        {
            response.StatusCode = forced;
            await response.WriteAsync($"forced {forced}");
            return;
        }
        if (request.Query.ContainsKey("park"))
        {
            // ?park waits for Release(path) before it answers at all: an origin slow to render, holding its connection.
            await Hold(request.Path.Value!).Task.WaitAsync(context.RequestAborted);
        }
        if (int.TryParse(request.Query["delay"], out var delayMs))
        {
            await Task.Delay(delayMs);
        }
        if (int.TryParse(request.Query["status"], out var status))
        {
            response.StatusCode = status;
        }
        if (request.Headers.IfNoneMatch.Count > 0 || request.Headers.IfModifiedSince.Count > 0)
        {
            _conditionalHits.AddOrUpdate(request.Path.Value!, 1, (_, n) => n + 1);
        }
        if (request.Query["etag"].Count > 0)
        {
            var etag = $"\"{request.Query["etag"]}\"";
            if (request.Query.ContainsKey("obstext"))
            {
                etag = "\"abc\u00fc\""; // obs-text: one byte 0xFC on the wire
            }
            response.Headers.ETag = etag;
            if (request.Headers.IfNoneMatch.ToString() == etag)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.Headers.CacheControl = request.Query["cc"].Count > 0 ? request.Query["cc"].ToString() : "public, s-maxage=60";
                return;
            }
        }
        if (request.Query["vary"].Count > 0)
        {
            var field = request.Query["vary"].ToString();
            response.Headers.Vary = field;
            response.Headers["X-Varied-On"] = request.Headers[field].ToString();
        }
        response.Headers.CacheControl = request.Query["cc"].Count > 0 ? request.Query["cc"].ToString() : "public, s-maxage=60";
        if (request.Query["skey"].Count > 0)
        {
            response.Headers["Surrogate-Key"] = request.Query["skey"].ToString();
        }
        if (request.Query["location"].Count > 0)
        {
            response.Headers.Location = request.Query["location"].ToString();
        }
        if (request.Query.ContainsKey("nocc"))
        {
            response.Headers.Remove("Cache-Control");
        }
        if (int.TryParse(request.Query["lmago"], out var lastModifiedSecondsAgo))
        {
            response.Headers.LastModified = CdnPlatform.Http.Headers.HttpDate.Format(_clock.GetUtcNow().AddSeconds(-lastModifiedSecondsAgo));
        }
        if (request.Query.ContainsKey("cookie"))
        {
            response.Headers.SetCookie = "session=abc";
        }
        response.Headers["X-Origin-Host"] = request.Host.Value;
        response.Headers["X-Origin-Count"] = count.ToString();
        if (response.StatusCode == StatusCodes.Status204NoContent)
        {
            return; // no body, and no Content-Length either: as a chunked answer, the edge cannot know there is none
        }
        response.ContentType = "text/plain";
        if (int.TryParse(request.Query["size"], out var size))
        {
            var body = new byte[size];
            if (request.Query.ContainsKey("pattern"))
            {
                // Each byte tells its place (mod 251, a prime, so no power-of-two buffer lines up with it): a body
                // reordered or with a run lost or repeated does not read back the same.
                for (var i = 0; i < size; i++)
                {
                    body[i] = (byte)(i % 251);
                }
            }
            else
            {
                Array.Fill(body, (byte)'x');
            }
            if (!request.Query.ContainsKey("chunked"))
            {
                response.ContentLength = size;
            }
            // ?hold=N sends N bytes and waits for Release(path), then the rest, or with &thencut drops the connection.
            if (int.TryParse(request.Query["hold"], out var hold))
            {
                await response.Body.WriteAsync(body.AsMemory(0, hold));
                await response.Body.FlushAsync();
                try
                {
                    await Hold(request.Path.Value!).Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Abandoned(request.Path.Value!).TrySetResult();
                    return;
                }
                if (request.Query.ContainsKey("thencut"))
                {
                    context.Abort();
                    return;
                }
                await response.Body.WriteAsync(body.AsMemory(hold));
                return;
            }
            await response.Body.WriteAsync(body);
            return;
        }
        await response.WriteAsync($"{request.Method} {request.Path} #{count}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
