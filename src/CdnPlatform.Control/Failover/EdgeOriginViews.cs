using CdnPlatform.Cluster.Health;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Asks every edge (<c>Control:Edges</c>) for its <c>GET /edge/origins</c> every <c>Control:Failover:ProbeMilliseconds</c>,
/// maps each address it reports to the datacenter whose gateway it is (<see cref="DatacenterAddresses"/>), and keeps
/// each edge's view of each datacenter as <see cref="For"/>, which <see cref="DatacenterMonitor"/> weighs in its verdict.
/// </summary>
public sealed partial class EdgeOriginViews : BackgroundService
{
    public const string HttpClientName = "edge-origins";

    // An edge slower than this to answer cannot report this round; it then counts neither way, so a generous bound costs nothing.
    private static readonly TimeSpan MinimumDeadline = TimeSpan.FromSeconds(1);

    private readonly ControlOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeOriginViews> _logger;
    private readonly DatacenterAddresses _addresses;
    private volatile IReadOnlyDictionary<string, IReadOnlyList<EdgeDatacenterView>> _views;

    public EdgeOriginViews(ControlOptions options, IHttpClientFactory clients, TimeProvider time, ILogger<EdgeOriginViews> logger)
    {
        _options = options;
        _http = clients.CreateClient(HttpClientName);
        _time = time;
        _logger = logger;
        _addresses = new DatacenterAddresses(options.Datacenters);
        _views = Views(options.Edges.Select(e => (e.Name, (EdgeOriginsReport?)null, (string?)null)).ToList());
    }

    /// <summary>Every edge's view of the datacenter, in <c>Control:Edges</c> order, as the last round left them.</summary>
    public IReadOnlyList<EdgeDatacenterView> For(string datacenter) => _views.GetValueOrDefault(datacenter) ?? [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Datacenters.Count == 0 || _options.Edges.Count == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.Failover.ProbeInterval, _time);
        try
        {
            do
            {
                var reports = await Task.WhenAll(_options.Edges.Select(edge => AskAsync(edge, stoppingToken)));
                stoppingToken.ThrowIfCancellationRequested();
                _views = Views(reports);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<(string Edge, EdgeOriginsReport? Report, string? Error)> AskAsync(ControlEdgeOptions edge, CancellationToken stoppingToken)
    {
        var deadline = _options.Failover.ProbeInterval > MinimumDeadline ? _options.Failover.ProbeInterval : MinimumDeadline;
        using var timeout = new CancellationTokenSource(deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            using var response = await _http.GetAsync(new Uri(new Uri(edge.Url), "/edge/origins"), linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (edge.Name, null, $"/edge/origins answered {(int)response.StatusCode}");
            }
            var report = await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.EdgeOriginsReport, linked.Token);
            return (edge.Name, report, report is null ? "/edge/origins was empty" : null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (edge.Name, null, $"no answer within {deadline.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or NotSupportedException)
        {
            Log.AskFailed(_logger, edge.Name, e.Message);
            return (edge.Name, null, e.Message);
        }
    }

    private IReadOnlyDictionary<string, IReadOnlyList<EdgeDatacenterView>> Views(IReadOnlyList<(string Edge, EdgeOriginsReport? Report, string? Error)> reports) =>
        _options.Datacenters.ToDictionary(d => d.Name, IReadOnlyList<EdgeDatacenterView> (d) => [.. reports.Select(r => EdgeDatacenterView.From(r.Edge,
            r.Report is null ? null : [.. r.Report.Origins.Where(o => _addresses.Find(o.Url) == d.Name).Select(o => HealthStateText.Parse(o.State))],
            r.Error))], StringComparer.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Edge {Edge} did not report its origins: {Error}")]
        public static partial void AskFailed(ILogger logger, string edge, string error);
    }
}
