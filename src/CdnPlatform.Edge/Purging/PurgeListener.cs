using CdnPlatform.Http;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Purging;

/// <summary>Applies every purge the bus delivers to this edge's store, then acknowledges it.</summary>
internal sealed partial class PurgeListener : IHostedService
{
    private readonly IPurgeBus _bus;
    private readonly MemoryCacheStore _store;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PurgeListener> _logger;
    private IAsyncDisposable? _subscription;

    public PurgeListener(IPurgeBus bus, MemoryCacheStore store, EdgeOptions options, TimeProvider time, ILogger<PurgeListener> logger)
    {
        _bus = bus;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before the edge accepts traffic, so no purge published after start-up is missed.
        _subscription = await _bus.SubscribePurgesAsync(ApplyAsync, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    internal async Task ApplyAsync(PurgeMessage purge)
    {
        var removed = 0;
        foreach (var url in purge.Urls)
        {
            // The control plane validated every URL; a malformed one here means a foreign publisher.
            if (HttpUrl.TryParse(url, out var uri))
            {
                removed += _store.InvalidateUrl(uri);
            }
            else
            {
                Log.BadUrl(_logger, purge.Id, url);
            }
        }
        Log.Applied(_logger, purge.Id, purge.Site, purge.Urls.Count, removed);
        await _bus.AcknowledgeAsync(new PurgeAck(purge.Id, _options.Name, _time.GetUtcNow()));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Purge {PurgeId} for site {Site}: {UrlCount} URLs, {Removed} entries removed")]
        public static partial void Applied(ILogger logger, string purgeId, string site, int urlCount, int removed);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Purge {PurgeId} names a URL that is not absolute http(s): {Url}")]
        public static partial void BadUrl(ILogger logger, string purgeId, string url);
    }
}
