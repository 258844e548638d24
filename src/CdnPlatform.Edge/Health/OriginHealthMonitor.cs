using CdnPlatform.Cluster.Health;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Edge.Resolving;

namespace CdnPlatform.Edge.Health;

/// <summary>
/// This edge's view of every origin address it knows (every site's <see cref="SiteOrigins.Current"/>), for
/// <c>GET /edge/origins</c>: each <see cref="EdgeOptions.OriginProbeMilliseconds"/> it asks each address's
/// <c>/healthz</c>, and counts as failed, too, an address whose last visitor fetch since the previous round could not
/// reach it or got no response (<see cref="RecentOriginFailures"/>, marked by the fetch itself: the hit path pays
/// nothing). The results go through a <see cref="HealthHysteresis"/> per address, as the control plane's probes do,
/// so the control plane can weigh both views alike when it decides whether a datacenter is down.
/// </summary>
internal sealed partial class OriginHealthMonitor : BackgroundService
{
    // An origin that takes longer than this to say "ok" is not one visitors get answers from.
    private static readonly TimeSpan LongestProbe = TimeSpan.FromSeconds(1);

    private readonly SiteDirectory _sites;
    private readonly OriginResolver _resolver;
    private readonly RecentOriginFailures _failures;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OriginHealthMonitor> _logger;
    private readonly HttpClient _http;
    private readonly TimeSpan _probeTimeout;
    // Owned by the probe loop (one writer); readers see the report built from it.
    private readonly Dictionary<string, HealthHysteresis> _addresses = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _lastRound = DateTimeOffset.MinValue;
    private volatile EdgeOriginsReport _report;

    public OriginHealthMonitor(SiteDirectory sites, OriginResolver resolver, RecentOriginFailures failures, EdgeOptions options, TimeProvider time,
        ILogger<OriginHealthMonitor> logger)
    {
        _sites = sites;
        _resolver = resolver;
        _failures = failures;
        _options = options;
        _time = time;
        _logger = logger;
        // No longer than a round, as the control plane's probes: a round waits for its slowest probe, so a paused
        // datacenter (it accepts connections and answers nothing) would otherwise stretch every round to the timeout and
        // take OriginFailAfter seconds, not rounds, to be seen down.
        var round = TimeSpan.FromMilliseconds(options.OriginProbeMilliseconds);
        _probeTimeout = round < LongestProbe ? round : LongestProbe;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = OriginSocket.ConnectFrom(options.OriginSource),
            // Kept between rounds, closed soon after an address is no longer probed (it left every answer): the
            // datacenter left sees the edge go, its prober too, as the visitors' pool is renewed at once.
            PooledConnectionIdleTimeout = TimeSpan.FromMilliseconds(Math.Max(1000, 2 * options.OriginProbeMilliseconds)),
        }) { Timeout = Timeout.InfiniteTimeSpan };
        // Says who is asking, in the gateways' logs and to a test that cuts the control plane off but not the edges.
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", $"CdnPlatform-Edge/{options.Name}");
        _report = new EdgeOriginsReport(options.Name, options.OriginProbeMilliseconds, []);
    }

    /// <summary>Every origin address as the last round left it, in the sites' order.</summary>
    public EdgeOriginsReport Report => _report;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.OriginProbeMilliseconds), _time);
        try
        {
            do
            {
                await RoundAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        var known = _sites.ByName.Values.SelectMany(site => _resolver.For(site).Current).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // An address that left every answer is no longer one this edge can speak for.
        foreach (var gone in _addresses.Keys.Except(known, StringComparer.OrdinalIgnoreCase).ToList())
        {
            _addresses.Remove(gone);
        }
        var since = _lastRound;
        var errors = await Task.WhenAll(known.Select(url => ProbeAsync(url, stoppingToken)));
        stoppingToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        _lastRound = now;
        for (var i = 0; i < known.Count; i++)
        {
            var url = known[i];
            var error = errors[i] ?? (_failures.FailedSince(url, since) ? "a visitor's fetch could not reach it or got no response" : null);
            if (!_addresses.TryGetValue(url, out var health))
            {
                _addresses[url] = health = new HealthHysteresis(_options.OriginFailAfter, _options.OriginRecoverAfter);
            }
            var was = health.State;
            if (health.Record(error is null, now, error))
            {
                // An address's first verdict, up, is start-up and not news; a loss, and the recovery after one, are.
                var level = was == HealthState.Unknown && health.State == HealthState.Up ? LogLevel.Information : LogLevel.Warning;
                Log.StateChanged(_logger, level, url, health.State, error ?? "ok");
            }
        }
        _report = new EdgeOriginsReport(_options.Name, _options.OriginProbeMilliseconds, [.. known.Select(url =>
        {
            var health = _addresses[url];
            return new OriginAddressReport(url, health.State.ToText(), health.Since, health.LastError, health.FailuresInARow, _failures.LastFailure(url));
        })]);
    }

    // Null when the address says it can serve; otherwise why not.
    private async Task<string?> ProbeAsync(string url, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(_probeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        try
        {
            using var response = await _http.GetAsync(new Uri(new Uri(url), "/healthz"), linked.Token);
            return response.IsSuccessStatusCode ? null : $"/healthz answered {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {_probeTimeout.TotalMilliseconds:0} ms";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Message = "Origin address {Origin} is now {State} ({Detail})")]
        public static partial void StateChanged(ILogger logger, LogLevel level, string origin, HealthState state, string detail);
    }
}
