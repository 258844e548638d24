using System.Collections.Frozen;
using System.Net;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// Resolves the origins named by host through <c>Edge:Dns:Resolvers</c> (<see cref="AddressLookup"/>), one
/// <see cref="WatchedName"/> per name, and keeps each site's <see cref="SiteOrigins"/> current. A DNS change
/// signal from the control plane (<see cref="IDnsChangeBus"/>) has the names in its zones looked up at once;
/// the TTL is the bound when a signal is lost. When an address leaves an answer, the connection pool is renewed
/// (<see cref="OriginConnections"/>), so the old address's idle connections close now. Sites whose origins are
/// IP addresses, or every site when no resolvers are configured, keep their configured URLs.
/// </summary>
internal sealed partial class OriginResolver : IHostedService
{
    /// <summary>How often a failed subscription to DNS change signals is tried again.</summary>
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(5);

    private readonly FrozenDictionary<string, SiteOrigins> _sites;
    private readonly IReadOnlyList<WatchedName> _names;
    private readonly OriginConnections _connections;
    private readonly IDnsChangeBus _bus;
    private readonly TimeProvider _time;
    private readonly ILogger<OriginResolver> _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Lock _changes = new();
    private IAsyncDisposable? _subscription;
    private long _lastChangeSerial = -1;

    public OriginResolver(EdgeOptions options, SiteDirectory sites, OriginConnections connections, IDnsChangeBus bus, TimeProvider time,
        ILoggerFactory loggers)
    {
        _connections = connections;
        _bus = bus;
        _time = time;
        _logger = loggers.CreateLogger<OriginResolver>();
        var names = new Dictionary<string, WatchedName>(StringComparer.OrdinalIgnoreCase);
        var lookup = options.Dns.Enabled ? new AddressLookup(options.Dns) : null;
        var maxStale = TimeSpan.FromSeconds(options.Dns.MaxStaleSeconds);
        var nameLogger = loggers.CreateLogger<WatchedName>();
        WatchedName? Watch(string host)
        {
            if (lookup is null || Uri.CheckHostName(host) != UriHostNameType.Dns || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            if (!names.TryGetValue(host, out var name))
            {
                names[host] = name = new WatchedName(host, lookup, time, maxStale, OnAddressesChanging, OnAnsweredUnchanged, nameLogger);
            }
            return name;
        }
        _sites = sites.ByName.Values.ToFrozenDictionary(s => s.Name, s => new SiteOrigins(s, Watch), StringComparer.Ordinal);
        _names = [.. names.Values];
    }

    public SiteOrigins For(Site site) => _sites[site.Name];

    /// <summary>The serial of the last DNS change signal heard for a name of this edge; null before the first.</summary>
    public uint? LastChangeSerial => Interlocked.Read(ref _lastChangeSerial) is >= 0 and var serial ? (uint)serial : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_names.Count == 0)
        {
            return;
        }
        // Subscribed before the first lookups, so no change between them and the subscription goes unheard.
        if (!await TrySubscribeAsync(cancellationToken))
        {
            _loops.Add(Task.Run(() => KeepSubscribingAsync(_stop.Token), CancellationToken.None));
        }
        // Started, not awaited: an edge whose DNS is not up yet still starts, and its first requests wait for an answer.
        _loops.AddRange(_names.Select(name => Task.Run(() => name.RunAsync(_stop.Token), CancellationToken.None)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
        if (_subscription is not null)
        {
            try
            {
                await _subscription.DisposeAsync();
            }
            catch (Exception e)
            {
                Log.UnsubscribeFailed(_logger, e.Message);
            }
        }
    }

    public IReadOnlyList<OriginNameStatus> Describe()
    {
        var now = _time.GetUtcNow();
        return [.. _names.Select(n =>
        {
            var state = n.State;
            var left = state.FreshUntil - now;
            return new OriginNameStatus(n.Name, state.StateAt(now).ToString().ToLowerInvariant(), [.. state.Addresses.Select(a => a.ToString())],
                state.AnsweredAt is null || left < TimeSpan.Zero ? 0 : (int)Math.Ceiling(left.TotalSeconds), n.AnsweredBy, state.Failures, n.LastFailure);
        })];
    }

    private async Task<bool> TrySubscribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            _subscription = await _bus.SubscribeAsync(OnDnsChange, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SubscribeFailed(_logger, _bus.Transport, e.Message, SubscribeRetry.TotalSeconds);
            return false;
        }
    }

    private async Task KeepSubscribingAsync(CancellationToken stop)
    {
        try
        {
            do
            {
                // Real time: a test's frozen application clock must not stop the edge from listening.
                await Task.Delay(SubscribeRetry, TimeProvider.System, stop);
            }
            while (!await TrySubscribeAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private Task OnDnsChange(DnsChange change)
    {
        foreach (var name in _names.Where(n => change.Concerns(n.Name)))
        {
            Log.ReResolving(_logger, name.Name, change.Serial);
            Interlocked.Exchange(ref _lastChangeSerial, change.Serial);
            name.Wake();
        }
        return Task.CompletedTask;
    }

    private void OnAddressesChanging(WatchedName name, ResolvedName after)
    {
        IReadOnlyList<IPAddress> before;
        lock (_changes)
        {
            before = name.State.Addresses;
            foreach (var site in _sites.Values.Where(s => s.Names.Contains(name)))
            {
                site.Rebuild(name, after.Addresses);
            }
            name.Publish(after);
        }
        var gone = before.Except(after.Addresses).ToList();
        if (gone.Count > 0)
        {
            // After the lists changed: no request from here on picks a gone address, so none keeps the old pool alive.
            _connections.Renew();
            Log.ConnectionsRenewed(_logger, name.Name, string.Join(", ", gone));
        }
    }

    private void OnAnsweredUnchanged(WatchedName name)
    {
        lock (_changes)
        {
            foreach (var site in _sites.Values.Where(s => s.Names.Contains(name)))
            {
                site.Answered(name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "DNS changed (serial {Serial}): looking up origin name {Name} again")]
        public static partial void ReResolving(ILogger logger, string name, uint serial);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Addresses} left the answer for {Name}: connections to origins renewed, the old ones close once their requests are done")]
        public static partial void ConnectionsRenewed(ILogger logger, string name, string addresses);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Cannot hear DNS change signals over {Transport} ({Reason}); trying again every {RetrySeconds} s, the TTL bounds how late a change is seen")]
        public static partial void SubscribeFailed(ILogger logger, string transport, string reason, double retrySeconds);

        [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Stopping DNS change signals failed: {Reason}")]
        public static partial void UnsubscribeFailed(ILogger logger, string reason);
    }
}
