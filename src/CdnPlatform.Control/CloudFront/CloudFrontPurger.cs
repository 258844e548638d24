using System.Collections.Concurrent;
using System.Collections.Frozen;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// Sends an accepted purge to the CloudFront distributions of its site, next to the edges. It runs after
/// the 202 (CloudFront takes seconds to minutes; the CMS must not wait for it) and its outcome appears in
/// the purge's status.
/// </summary>
public sealed partial class CloudFrontPurger : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private readonly FrozenDictionary<string, (CloudFrontOptions Options, CloudFrontInvalidationClient Client)> _sites;
    private readonly ConcurrentDictionary<string, IReadOnlyList<CloudFrontTarget>> _targets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<CloudFrontPurger> _logger;

    public CloudFrontPurger(ControlOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _time = time;
        _logger = loggers.CreateLogger<CloudFrontPurger>();
        _sites = options.Sites
            .Where(s => s.CloudFront is { DistributionIds.Count: > 0 })
            .ToFrozenDictionary(
                s => s.Name,
                s => (s.CloudFront!, new CloudFrontInvalidationClient(
                    new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) },
                    s.CloudFront!, time, loggers.CreateLogger<CloudFrontInvalidationClient>())),
                StringComparer.Ordinal);
    }

    public bool Covers(string site) => _sites.ContainsKey(site);

    /// <summary>Starts the invalidations for <paramref name="record"/>; returns at once.</summary>
    public void Start(PurgeRecord record)
    {
        if (!_sites.TryGetValue(record.Site, out var site))
        {
            return;
        }
        var targets = site.Options.DistributionIds.Select(id => new CloudFrontTarget(id)).ToList();
        _targets[record.Id] = targets;
        var request = record.Request;
        var paths = CloudFrontPaths.From(request.Urls ?? [], request.Prefixes ?? [], request.Tags ?? [], request.All);
        record.CloudFrontUnsupported = paths.Unsupported;
        foreach (var target in targets)
        {
            _ = Task.Run(async () =>
            {
                if (paths.Paths.Count == 0)
                {
                    target.Error = "nothing in this purge can be expressed as CloudFront paths";
                    return;
                }
                try
                {
                    target.Invalidations = await site.Client.CreateAsync(target.DistributionId, paths.Paths, record.Id, CancellationToken.None);
                    target.LastRefreshed = _time.GetUtcNow();
                }
                catch (CloudFrontException e)
                {
                    target.Invalidations = e.Created;
                    target.Error = $"{e.Code ?? e.StatusCode?.ToString() ?? "unreachable"}: {e.ErrorMessage ?? e.Message}";
                    Log.Failed(_logger, record.Id, target.DistributionId, target.Error);
                }
            });
        }
    }

    /// <summary>The purge's CloudFront targets, their statuses refreshed from CloudFront when due.</summary>
    public async Task<IReadOnlyList<CloudFrontTarget>> StatusAsync(PurgeRecord record, CancellationToken cancellationToken)
    {
        if (!_targets.TryGetValue(record.Id, out var targets) || !_sites.TryGetValue(record.Site, out var site))
        {
            return [];
        }
        var now = _time.GetUtcNow();
        foreach (var target in targets.Where(t => t.State == "in-progress" && now - t.LastRefreshed >= RefreshEvery))
        {
            target.LastRefreshed = now;
            try
            {
                var refreshed = new List<CloudFrontInvalidation>();
                foreach (var invalidation in target.Invalidations)
                {
                    refreshed.Add(invalidation.IsCompleted ? invalidation : await site.Client.GetAsync(target.DistributionId, invalidation.Id, cancellationToken));
                }
                target.Invalidations = refreshed;
            }
            catch (CloudFrontException e)
            {
                // A status read that fails leaves the last known status; the next read tries again.
                Log.RefreshFailed(_logger, record.Id, target.DistributionId, e.Message);
            }
        }
        return targets;
    }

    public void Dispose()
    {
        foreach (var (_, client) in _sites.Values)
        {
            client.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "CloudFront invalidation for purge {PurgeId} on {Distribution} failed: {Error}")]
        public static partial void Failed(ILogger logger, string purgeId, string distribution, string error);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "CloudFront status of purge {PurgeId} on {Distribution} not refreshed: {Error}")]
        public static partial void RefreshFailed(ILogger logger, string purgeId, string distribution, string error);
    }
}
