using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using CdnPlatform.Testing;

namespace CdnPlatform.LoadTest.Tests.Running;

/// <summary>
/// A small site on loopback for cdnload to load: a sitemap of a home page and 20 products, each page answered with an
/// edge-like Cache-Status hit and an X-Served-By. With <see cref="StallAt"/> set, it stalls once: the request with that
/// number, and every request that arrives in the <see cref="Stall"/> after it, waits until the stall is over — a GC pause or
/// a lock held for a second, as a server does once in a while.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private TaskCompletionSource? _stall;

    private TestSite(WebApplication app, string address)
    {
        _app = app;
        Address = new Uri(address);
    }

    public Uri Address { get; }

    /// <summary>The number of the page request (from 1) that starts the stall; 0 for none.</summary>
    public long StallAt { get; init; }

    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>When the stall began; null before.</summary>
    public DateTimeOffset? StalledAt { get; private set; }

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<TestSite> StartAsync(long stallAt = 0, TimeSpan? stall = null)
    {
        var port = FreePort.OnLoopback();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var site = new TestSite(app, $"http://127.0.0.1:{port}/") { StallAt = stallAt, Stall = stall ?? TimeSpan.FromSeconds(1) };
        app.MapGet("/sitemap.xml", () => Results.Text(
            "<urlset>" + string.Concat(new[] { "/" }.Concat(Enumerable.Range(1, 20).Select(i => $"/products/{i}")).Select(p => $"<url><loc>http://www.shop.test{p}</loc></url>")) + "</urlset>",
            "application/xml"));
        app.MapGet("/", (Func<HttpContext, Task<IResult>>)site.PageAsync);
        app.MapGet("/products/{id:int}", (Func<HttpContext, Task<IResult>>)site.PageAsync);
        await app.StartAsync();
        return site;
    }

    private async Task<IResult> PageAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        if (StallAt > 0 && number == StallAt)
        {
            StalledAt = DateTimeOffset.UtcNow;
            var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _stall, stall);
            _ = Task.Delay(Stall).ContinueWith(_ => stall.TrySetResult(), TaskScheduler.Default);
        }
        if (Volatile.Read(ref _stall) is { Task.IsCompleted: false } running)
        {
            await running.Task;
        }
        context.Response.Headers["Cache-Status"] = "Upstream; fwd=miss, TestEdge; hit; ttl=60";
        context.Response.Headers["X-Served-By"] = "primary-1";
        return Results.Text("<html><body><h1>page</h1></body></html>", "text/html");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
