using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http;

namespace CdnPlatform.Edge.Purging;

/// <summary>
/// Follows the purge log (<see cref="PurgeFollower"/>) and applies each purge to this edge's store:
/// URLs (every Vary variant, both schemes), prefixes as bans, tags through the tag index, a whole site
/// as bans on its hosts; soft purges mark stale, hard ones remove.
/// </summary>
internal sealed partial class PurgeListener : IHostedService
{
    /// <summary>How often the log is read even without an announcement: bounds how late a missed one is applied.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly IPurgeBus _bus;
    private readonly MemoryCacheStore _store;
    private readonly SiteDirectory _sites;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PurgeListener> _logger;
    private readonly ListenerPorts _ports;
    private PurgeFollower? _follower;

    public PurgeListener(IPurgeBus bus, MemoryCacheStore store, SiteDirectory sites, EdgeOptions options, ListenerPorts ports, TimeProvider time,
        ILogger<PurgeListener> logger)
    {
        _ports = ports;
        _bus = bus;
        _store = store;
        _sites = sites;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The last purge sequence this edge applied (-1 before it first read the log).</summary>
    public long Mark => _follower?.Mark ?? -1;

    /// <summary>Purges appended to the log, as far as this edge has heard, that it has not applied yet.</summary>
    public long Lag => _follower is { } follower ? Math.Max(0, follower.Heard - follower.Mark) : 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WarmUp();
        _follower = new PurgeFollower(_bus, _options.Name, ApplyAsync, DropEverythingAsync, _time, _logger, PollInterval);
        await _follower.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_follower is not null)
        {
            await _follower.DisposeAsync();
        }
    }

    internal Task ApplyAsync(PurgeMessage purge)
    {
        var removed = Apply(_store, purge);
        Log.Applied(_logger, purge.Sequence, purge.Id, purge.Site, removed);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the apply path once on a scratch store, before following the log: a fresh process compiles each
    /// method on its first call, which made the first purge after start take tens of milliseconds longer than
    /// the next (see the control plane's PurgeApiWarmup). The edge's own store is not touched.
    /// </summary>
    private void WarmUp()
    {
        try
        {
            WarmUpApplyPath();
        }
        catch (Exception e)
        {
            // Only speed is at stake: an edge that cannot warm up still applies purges, the first a little slower.
            Log.WarmUpFailed(_logger, e);
        }
    }

    private void WarmUpApplyPath()
    {
        if (_sites.ByName.Values.FirstOrDefault() is not { } site)
        {
            return;
        }
        var host = site.Hosts[0] == SiteDirectory.AnyHost ? "warm-up.invalid" : site.Hosts[0].TrimStart('*', '.');
        var sample = new PurgeMessage("warm-up", site.Name, [$"http://{host}/warm-up"], _time.GetUtcNow())
        {
            Prefixes = [$"http://{host}/warm-up/"],
            Tags = ["warm-up"],
            All = true,
        };
        PurgeCodecWarmup.Run(sample, _options.Name, _time.GetUtcNow());
        var scratch = new MemoryCacheStore(1024 * 1024, _time);
        Apply(scratch, sample, [8443]);
        Apply(scratch, sample with { Soft = true }, [8443]);
        scratch.SweepBans();
    }

    private int Apply(MemoryCacheStore store, PurgeMessage purge) => Apply(store, purge, _ports.NonDefault);

    private int Apply(MemoryCacheStore store, PurgeMessage purge, IReadOnlyList<int> ports)
    {
        var removed = 0;
        foreach (var url in purge.Urls)
        {
            // The control plane validated every URL; a malformed one here means a foreign publisher.
            if (HttpUrl.TryParse(url, out var uri))
            {
                foreach (var key in KeysOf(uri, ports))
                {
                    removed += store.InvalidateUrl(key, purge.Soft);
                }
            }
            else
            {
                Log.BadUrl(_logger, purge.Id, url);
            }
        }
        foreach (var prefix in purge.Prefixes)
        {
            if (HttpUrl.TryParse(prefix, out var uri))
            {
                foreach (var key in KeysOf(uri, ports))
                {
                    store.Ban(key.Value, purge.Soft);
                    store.Ban(key.WithOtherScheme().Value, purge.Soft);
                }
            }
            else
            {
                Log.BadUrl(_logger, purge.Id, prefix);
            }
        }
        foreach (var tag in purge.Tags)
        {
            removed += store.InvalidateTag(tag, purge.Soft);
        }
        if (purge.All && _sites.ByName.TryGetValue(purge.Site, out var site))
        {
            foreach (var host in site.Hosts)
            {
                BanHost(store, host, purge.Soft);
            }
        }
        return removed;
    }

    // A URL named without a port is the URL at every port visitors reach this edge on: keys keep a non-default port.
    private static IEnumerable<CacheKey> KeysOf(Uri url, IReadOnlyList<int> ports)
    {
        yield return CacheKey.FromUrl(url);
        if (!url.IsDefaultPort)
        {
            yield break;
        }
        foreach (var port in ports)
        {
            yield return CacheKey.FromUrl(new UriBuilder(url) { Port = port }.Uri);
        }
    }

    private static void BanHost(MemoryCacheStore store, string host, bool soft)
    {
        if (host == SiteDirectory.AnyHost)
        {
            store.Ban("", soft);
            return;
        }
        var lower = host.ToLowerInvariant();
        foreach (var scheme in new[] { "http", "https" })
        {
            // With and without an explicit port: keys keep non-default ports after the host.
            store.Ban($"{scheme}://{lower}/", soft);
            store.Ban($"{scheme}://{lower}:", soft);
        }
    }

    private Task DropEverythingAsync()
    {
        _store.Ban("", soft: false);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Purge #{Sequence} {PurgeId} for site {Site} applied, {Removed} entries invalidated at once (prefixes apply lazily)")]
        public static partial void Applied(ILogger logger, long sequence, string purgeId, string site, int removed);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Purge {PurgeId} names a URL that is not absolute http(s): {Url}")]
        public static partial void BadUrl(ILogger logger, string purgeId, string url);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Warming up the purge path failed; the first purges will be slower")]
        public static partial void WarmUpFailed(ILogger logger, Exception exception);
    }
}
