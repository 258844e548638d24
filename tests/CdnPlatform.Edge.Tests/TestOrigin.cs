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

    private TestOrigin(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public static async Task<TestOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var origin = new TestOrigin(app);
        app.Run(origin.ServeAsync);
        await app.StartAsync();
        return origin;
    }

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        var count = _hits.AddOrUpdate(request.Path.Value!, 1, (_, n) => n + 1);
        var response = context.Response;
        response.Headers.CacheControl = request.Query["cc"].Count > 0 ? request.Query["cc"].ToString() : "public, s-maxage=60";
        if (request.Query.ContainsKey("cookie"))
        {
            response.Headers.SetCookie = "session=abc";
        }
        response.Headers["X-Origin-Host"] = request.Host.Value;
        response.Headers["X-Origin-Count"] = count.ToString();
        response.ContentType = "text/plain";
        if (int.TryParse(request.Query["size"], out var size))
        {
            var body = new byte[size];
            Array.Fill(body, (byte)'x');
            if (!request.Query.ContainsKey("chunked"))
            {
                response.ContentLength = size;
            }
            await response.Body.WriteAsync(body);
            return;
        }
        await response.WriteAsync($"{request.Method} {request.Path} #{count}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
