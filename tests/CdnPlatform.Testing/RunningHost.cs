using Microsoft.AspNetCore.Builder;

namespace CdnPlatform.Testing;

/// <summary>A started host and the address Kestrel bound it to (the tests ask for port 0).</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private bool _stopped;

    private RunningHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public static async Task<RunningHost> StartAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync();
            return new RunningHost(app, new Uri(app.Urls.Single()));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops listening, as a crashed or drained node would; the port then refuses connections.</summary>
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
        await StopAsync();
        await App.DisposeAsync();
    }
}
