using CdnPlatform.Origin.Storage;
using Microsoft.AspNetCore.Builder;
using CdnPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// One origin node on a real loopback socket (port 0), built by the same <c>OriginHost.Build</c> a real host
/// runs. Nodes given one <see cref="InMemoryDatacenter"/>, or one Redis, form a datacenter.
/// </summary>
internal sealed class ShopNode : IAsyncDisposable
{
    private bool _stopped;

    private ShopNode(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = ClientFor(address);
    }

    public WebApplication App { get; }

    /// <summary>What the node logged at warning and above: a failed assertion can show why a request failed.</summary>
    public CapturingLoggerProvider Log { get; private init; } = null!;

    public string Errors => string.Join("\n", Log.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.ToString()));

    public Uri Address { get; }

    /// <summary>Does not follow redirects and keeps no cookies: tests pass the session cookie themselves.</summary>
    public HttpClient Client { get; }

    public static async Task<ShopNode> StartAsync(string node, InMemoryDatacenter? datacenter = null, params string[] settings)
    {
        var log = new CapturingLoggerProvider();
        var app = OriginHost.Build(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
             "--Origin:Node", node, "--Origin:Datacenter", "primary", .. settings],
            services =>
            {
                services.AddLogging(logging => logging.AddProvider(log));
                datacenter?.Register(services);
            });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new ShopNode(app, new Uri(app.Urls.Single())) { Log = log };
    }

    public static HttpClient ClientFor(Uri address) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(10),
        };

    /// <summary>Stops the node as a crash would for its visitors: the listener is gone, connections refused.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await App.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
        await App.DisposeAsync();
    }
}
