using System.Security.Cryptography;
using ARSoft.Tools.Net;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Retrying;
using CdnPlatform.Dns.Updating;

namespace CdnPlatform.Control.SiteDns.Secondaries;

/// <summary>
/// Keeps one external server's copy of one zone current. Changes are offered as they are published; the newest
/// wins, so a burst of changes while a push is out (or the server is down) becomes one push of the last. A push
/// is retried with capped exponential back-off until the server acknowledges it.
/// </summary>
public sealed partial class SecondaryLink
{
    /// <summary>From 1 s, doubling, to 30 s: a server back from a restart is current within half a minute.</summary>
    public static readonly ExponentialBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private readonly Lock _gate = new();
    private readonly System.Net.IPEndPoint _server;
    private readonly DomainName _zone;
    private readonly TsigKey _key;
    private readonly IDnsUpdateSender _sender;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ZonesPublished? _newest;
    private TaskCompletionSource _offered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SecondaryState _state;
    // The names the server holds from us, as of its last acknowledgement: a name the zone drops is deleted there.
    private IReadOnlyList<DomainName> _given = [];

    public SecondaryLink(ControlDnsSecondaryOptions options, IDnsUpdateSender sender, TimeProvider time, ILogger logger)
    {
        _server = options.Endpoint;
        _zone = DomainName.Parse(options.Zone);
        _key = options.Key;
        _sender = sender;
        _time = time;
        _logger = logger;
        _state = new SecondaryState(_server.ToString(), _zone.ToString(), _key.Name.ToString());
    }

    public SecondaryState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Hands a publication on. Called under <see cref="SiteDnsService"/>'s change lock: it only swaps a reference
    /// and completes a task whose continuation runs elsewhere.
    /// </summary>
    public void Offer(ZonesPublished zones)
    {
        lock (_gate)
        {
            // Serials compare as RFC 1982 says, so a serial that wrapped still counts as newer.
            if (_newest is not null && (int)(zones.Serial - _newest.Serial) <= 0)
            {
                return;
            }
            _newest = zones;
            _state = _state with { PublishedSerial = zones.Serial };
            _offered.TrySetResult();
        }
    }

    /// <summary>Pushes until <paramref name="stopping"/>: each newest publication, again and again until acknowledged.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var zones = await NextAsync(stopping);
                var outcome = await PushAsync(zones, stopping);
                if (outcome.IsAcknowledged)
                {
                    continue;
                }
                var delay = Backoff.After(State.Attempts + 1, Random.Shared.NextDouble());
                var now = _time.GetUtcNow();
                int attempts;
                lock (_gate)
                {
                    _state = _state with { LastError = outcome.Detail, Attempts = attempts = _state.Attempts + 1, NextRetry = now + delay };
                }
                Log.Refused(_logger, _server, _zone, zones.Serial, outcome.Detail, attempts, delay.TotalSeconds);
                await Task.Delay(delay, _time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // The newest publication the server has not acknowledged, once there is one.
    private async Task<ZonesPublished> NextAsync(CancellationToken stopping)
    {
        while (true)
        {
            Task offered;
            lock (_gate)
            {
                if (_newest is { } newest && newest.Serial != _state.AckedSerial)
                {
                    return newest;
                }
                if (_offered.Task.IsCompleted)
                {
                    _offered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                offered = _offered.Task;
            }
            await offered.WaitAsync(stopping);
        }
    }

    private async Task<UpdateOutcome> PushAsync(ZonesPublished zones, CancellationToken stopping)
    {
        lock (_gate)
        {
            _state = _state with { PushedSerial = zones.Serial };
        }
        // Validated at start-up: the secondary's zone is one of the sites' zones, all published together.
        var zone = zones.Zones.Single(z => z.Origin.Equals(_zone));
        var update = ZoneUpdate.Build(zone, _given, _key, _time.GetUtcNow(), (ushort)RandomNumberGenerator.GetInt32(1, 65536));
        UpdateOutcome outcome;
        try
        {
            outcome = await _sender.SendAsync(_server, update, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault in the client must not end the loop: the server would silently stay behind.
            outcome = new UpdateOutcome(UpdateVerdict.NoAnswer, $"{e.GetType().Name}: {e.Message}");
        }
        if (outcome.IsAcknowledged)
        {
            _given = ZoneUpdate.PublishedNames(zone);
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                _state = _state with { AckedSerial = zones.Serial, AckedAt = now, LastError = null, Attempts = 0, NextRetry = null };
            }
            Log.Acknowledged(_logger, _server, _zone, zones.Serial, zones.ActiveDatacenter);
        }
        return outcome;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "DNS update of {Zone} acknowledged by {Server}: serial {Serial}, origin. → {Datacenter}")]
        public static partial void Acknowledged(ILogger logger, System.Net.IPEndPoint server, DomainName zone, uint serial, string datacenter);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
            Message = "DNS update of {Zone} (serial {Serial}) not acknowledged by {Server}: {Error}; attempt {Attempts}, next in {DelaySeconds:0.#} s")]
        public static partial void Refused(ILogger logger, System.Net.IPEndPoint server, DomainName zone, uint serial, string error, int attempts, double delaySeconds);
    }
}
