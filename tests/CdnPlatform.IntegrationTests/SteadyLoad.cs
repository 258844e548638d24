using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CdnPlatform.Cli.Topology;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// Visitors that keep requesting pages through the edges until stopped, each a loop of its own: every
/// request that fails (no answer, or not 2xx) is kept, and every <c>/whoami</c> answer with the node that gave it
/// and when (on the test's monotonic clock).
/// </summary>
internal sealed class SteadyLoad
{
    private readonly IReadOnlyList<string> _edges;
    private readonly IReadOnlyList<string> _paths;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _visitors = [];
    private int _completed;

    /// <param name="paths">Requested in turn; <c>{n}</c> becomes a number of the request, for a URL no edge has cached.</param>
    public SteadyLoad(IReadOnlyList<string> edges, IReadOnlyList<string> paths)
    {
        _edges = edges;
        _paths = paths;
    }

    public ConcurrentQueue<string> Failures { get; } = new();

    public ConcurrentQueue<(string Node, long Started, long Finished)> WhoAmI { get; } = new();

    public int Completed => Volatile.Read(ref _completed);

    public void Start(int visitors)
    {
        for (var v = 0; v < visitors; v++)
        {
            var visitor = v;
            _visitors.Add(Task.Run(() => VisitAsync(visitor)));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_visitors);
    }

    private async Task VisitAsync(int visitor)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        for (var i = visitor; !_stop.IsCancellationRequested; i++)
        {
            var path = _paths[i % _paths.Count].Replace("{n}", $"{visitor}-{i}", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Get, _edges[i % _edges.Count] + path);
            request.Headers.Host = LocalNetwork.SiteHost;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                if (!response.IsSuccessStatusCode)
                {
                    Failures.Enqueue($"{path} via {request.RequestUri!.Authority}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                }
                else if (path == "/whoami")
                {
                    using var whoAmI = JsonDocument.Parse(body);
                    WhoAmI.Enqueue((whoAmI.RootElement.GetProperty("node").GetString()!, started, Stopwatch.GetTimestamp()));
                }
                Interlocked.Increment(ref _completed);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                Failures.Enqueue($"{path} via {request.RequestUri!.Authority}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
