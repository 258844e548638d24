using CdnPlatform.Cluster.Health;
using CdnPlatform.Cluster.Transport;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Configuration;
using StackExchange.Redis;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Probes every datacenter's gateways (<c>/healthz</c>, which says 503 only when no node of the datacenter can
/// serve) and its Redis (<c>INFO replication</c>: reachable, role, offset) every <c>Control:Failover:ProbeMilliseconds</c>,
/// each probe bounded by the same interval, and keeps the result as <see cref="Snapshot"/>. A probe that does not
/// answer in time counts as failed: a datacenter that takes longer than that to say "ok" is not one to send
/// visitors to.
/// </summary>
public sealed partial class DatacenterMonitor : BackgroundService
{
    public const string HttpClientName = "dc-probe";

    private readonly ControlOptions _options;
    private readonly EdgeOriginViews _edges;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
        private readonly ILogger<DatacenterMonitor> _logger;
    private readonly List<DatacenterProbe> _probes;
    private readonly Dictionary<string, Task<ConnectionMultiplexer>> _redis = new(StringComparer.Ordinal);
    private volatile DatacenterList _snapshot;

    public DatacenterMonitor(ControlOptions options, EdgeOriginViews edges, IHttpClientFactory clients, TimeProvider time, ILogger<DatacenterMonitor> logger)
    {
        _options = options;
        _edges = edges;
        _http = clients.CreateClient(HttpClientName);
        _time = time;
        _logger = logger;
        _probes = [.. options.Datacenters.Select(d => new DatacenterProbe(d, options.Failover))];
        _snapshot = BuildSnapshot();
    }

    /// <summary>Every datacenter as the last round of probes left it; which one is active is <see cref="DatacenterSwitch"/>'s to say.</summary>
    public DatacenterList Snapshot => _snapshot;

    /// <summary>Completes after the next full round of probes, for callers that must act on fresh health.</summary>
    public Task NextRound => _round.Task;

    private TaskCompletionSource _round = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_probes.Count == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.Failover.ProbeInterval, _time);
        do
        {
            try
            {
                await Task.WhenAll(_probes.Select(p => ProbeAsync(p, stoppingToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug in one round must not stop the host (BackgroundService's default): the next round runs.
                Log.RoundFailed(_logger, e);
            }
            _snapshot = BuildSnapshot();
            Interlocked.Exchange(ref _round, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProbeAsync(DatacenterProbe datacenter, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.Failover.ProbeInterval);
        var gateways = datacenter.Gateways.Select(async gateway =>
        {
            var error = await ProbeGatewayAsync(gateway.Url, timeout.Token);
            Record(datacenter, gateway.Url, gateway.Health, error);
        });
        var redis = datacenter.Redis is { } health ? ProbeRedisAsync(datacenter, health, timeout.Token) : Task.CompletedTask;
        await Task.WhenAll([.. gateways, redis]);
        // Stopping is not a failed probe: leave the states as they were.
        stoppingToken.ThrowIfCancellationRequested();
    }

    private string TimedOut => $"no answer within {_options.Failover.ProbeMilliseconds} ms";

    // Null when the gateway says it can serve; otherwise why not.
    private async Task<string?> ProbeGatewayAsync(string gateway, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(new Uri(gateway), "/healthz"), cancellationToken);
            return response.IsSuccessStatusCode ? null : $"/healthz answered {(int)response.StatusCode}";
        }
        catch (OperationCanceledException)
        {
            return TimedOut;
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private async Task ProbeRedisAsync(DatacenterProbe datacenter, HealthHysteresis health, CancellationToken cancellationToken)
    {
        var endpoint = _options.Datacenters.Single(d => d.Name == datacenter.Name).Redis;
        string? error;
        try
        {
            var connection = await ConnectAsync(endpoint);
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var info = await server.InfoAsync("replication").WaitAsync(cancellationToken);
            datacenter.Replication = RedisReplication.Parse(info.SelectMany(section => section));
            error = null;
        }
        catch (OperationCanceledException)
        {
            error = TimedOut;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the client throws (connection, timeout, a refused command) is a failed probe, never the end of the monitor.
            error = e.Message;
        }
        datacenter.RedisAnswered = error is null;
        Record(datacenter, endpoint, health, error);
    }

    /// <summary>
    /// Whether <paramref name="datacenter"/>'s Redis answered the last probe, as a primary: at once, not after the
    /// hysteresis of <see cref="Snapshot"/>, for a check that asks Redis again before it acts.
    /// </summary>
    public bool AnsweredAsPrimary(string datacenter) =>
        _probes.FirstOrDefault(p => p.Name == datacenter) is { RedisAnswered: true, Replication.IsPrimary: true };

    // One multiplexer per datacenter Redis for the life of the monitor: it reconnects by itself, and with
    // abortConnect=false (RedisConnectionOptions) a Redis that is down at start-up only fails the probes.
    private Task<ConnectionMultiplexer> ConnectAsync(string endpoint)
    {
        lock (_redis)
        {
            if (!_redis.TryGetValue(endpoint, out var connection))
            {
                var configuration = RedisConnectionOptions.Parse(endpoint);
                configuration.ConnectTimeout = Math.Max(_options.Failover.ProbeMilliseconds, 100);
                configuration.AsyncTimeout = Math.Max(_options.Failover.ProbeMilliseconds, 100);
                // INFO (and the promotion a failover makes) are admin commands.
                configuration.AllowAdmin = true;
                connection = ConnectionMultiplexer.ConnectAsync(configuration);
                _redis[endpoint] = connection;
            }
            return connection;
        }
    }

    private void Record(DatacenterProbe datacenter, string target, HealthHysteresis health, string? error)
    {
        var was = health.State;
        if (health.Record(error is null, _time.GetUtcNow(), error))
        {
            // A target's first verdict, up, is start-up and not news; a loss, and the recovery after one, are.
            var level = was == HealthState.Unknown && health.State == HealthState.Up ? LogLevel.Information : LogLevel.Warning;
            Log.StateChanged(_logger, level, datacenter.Name, target, health.State, error ?? "ok");
        }
    }

    private DatacenterList BuildSnapshot()
    {
        return new DatacenterList(_options.Failover.ProbeMilliseconds, Active: "", [.. _probes.Select(probe =>
        {
            var view = probe.ControlView();
            var edges = _edges.For(probe.Name);
            var verdict = DatacenterVerdict.Decide(view, [.. edges.Select(e => e.View)]);
            var redis = _options.Datacenters.Single(d => d.Name == probe.Name).Redis;
            return new DatacenterView(probe.Name, Active: false, view.ToText(), verdict.Down, verdict.Reason,
                [.. probe.Gateways.Select(g => View(g.Url, g.Health))],
                probe.Redis is { } health ? View(redis, health) : null,
                probe.Replication?.Role, probe.Replication?.Offset, probe.Replication?.LinkUp, [.. edges.Select(e => new EdgeView(e.Edge, e.View.ToText(), e.Detail))]);
        })], LastSwitch: null);
    }

    private static ProbeView View(string target, HealthHysteresis health) => new(target, health.State.ToText(), health.Since, health.LastError);

    public override void Dispose()
    {
        foreach (var connection in _redis.Values.Where(c => c.IsCompletedSuccessfully))
        {
            connection.Result.Dispose();
        }
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Message = "Datacenter {Datacenter}: {Target} is now {State} ({Detail})")]
        public static partial void StateChanged(ILogger logger, LogLevel level, string datacenter, string target, HealthState state, string detail);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "A round of datacenter probes failed")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
