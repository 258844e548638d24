using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// The two calls of the control plane's purge API a publish makes, on a real socket: it records what it was
/// sent and answers 202, then <c>done</c>. The real control plane and edges are exercised end to end in the
/// integration tests; here a test needs to see the exact request and to make the API vanish and come back.
/// </summary>
internal sealed class StubControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubControlPlane(WebApplication app) => _app = app;

    public ConcurrentQueue<(string? Authorization, JsonElement Body)> Purges { get; } = new();

    public static async Task<StubControlPlane> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubControlPlane(app);
        app.MapPost("/v1/purge", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            stub.Purges.Enqueue((context.Request.Headers.Authorization.ToString(), body));
            return Results.Json(new { id = $"purge-{stub.Purges.Count}", status = "/v1/purge/x", sequence = stub.Purges.Count }, statusCode: 202);
        });
        app.MapGet("/v1/purge/{id}", (string id) => Results.Json(new { id, state = "done", propagationMs = 1.5 }));
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
