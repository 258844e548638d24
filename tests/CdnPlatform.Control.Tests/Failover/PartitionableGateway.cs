using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>
/// A datacenter's gateway as the health probes see it, on its own loopback address: <c>/healthz</c> says ok, and
/// <c>/gateway/writes</c> keeps the mode the control plane sets. With <see cref="CutOffFromControlPlane"/> it drops
/// every connection but the edges' (their probes say <c>User-Agent: CdnPlatform-Edge/…</c>), as a link cut between the
/// control plane and the datacenter would, while visitors' edges still reach it.
/// </summary>
public sealed class PartitionableGateway : IAsyncDisposable
{
    private readonly string _url;
    private RunningHost? _host;
    private volatile string _mode = "unset";
    private volatile bool _cutOff;

    private PartitionableGateway(string url) => _url = url;

    public string Url => _url;

    public bool CutOffFromControlPlane { get => _cutOff; set => _cutOff = value; }

    public string WriteMode => _mode;

    public static async Task<PartitionableGateway> StartAsync(string url)
    {
        var gateway = new PartitionableGateway(url);
        await gateway.StartAsync();
        return gateway;
    }

    /// <summary>Listens (again) on the same address and port.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_url);
        var app = builder.Build();
        app.Run(ServeAsync);
        _host = await RunningHost.StartAsync(app);
    }

    /// <summary>Stops listening, as a dead datacenter does: connections are refused.</summary>
    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            await host.DisposeAsync();
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (CutOffFromControlPlane && !context.Request.Headers.UserAgent.ToString().StartsWith("CdnPlatform-Edge/", StringComparison.Ordinal))
        {
            context.Abort();
            return;
        }
        if (context.Request.Path == "/gateway/writes")
        {
            if (HttpMethods.IsPut(context.Request.Method))
            {
                using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
                _mode = body.RootElement.GetProperty("mode").GetString()!;
            }
            await context.Response.WriteAsJsonAsync(new { mode = _mode, held = 0, inFlight = 0 });
            return;
        }
        context.Response.StatusCode = context.Request.Path == "/healthz" ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
