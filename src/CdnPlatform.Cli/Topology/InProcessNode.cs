using Microsoft.AspNetCore.Builder;

namespace CdnPlatform.Cli.Topology;

/// <summary>A node in this process, built by its host's own <c>Build(args)</c> each time it starts.</summary>
internal sealed class InProcessNode : ILocalNode
{
    private readonly Func<WebApplication> _build;
    private WebApplication _app;
    // Every address it listens on (an edge's https:// one too), to listen on again after a restart.
    private readonly string[] _urls;

    private InProcessNode(Func<WebApplication> build, WebApplication app)
    {
        _build = build;
        _app = app;
        // With port 0 the real port is known only once it listens; a restart comes back on the same one.
        Url = app.Urls.First();
        _urls = [.. app.Urls];
    }

    public string Url { get; }

    public static async Task<InProcessNode> StartAsync(Func<WebApplication> build, CancellationToken cancellationToken)
    {
        var app = build();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new InProcessNode(build, app);
    }

    public Task StopAsync() => _app.StopAsync();

    // A stop whose grace period is already over: Kestrel aborts every connection instead of waiting for them.
    public Task KillAsync() => _app.StopAsync(new CancellationToken(canceled: true));

    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = _build();
        // Addresses set here win over the --urls the node was built with (which may say port 0).
        foreach (var url in _urls)
        {
            _app.Urls.Add(url);
        }
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
