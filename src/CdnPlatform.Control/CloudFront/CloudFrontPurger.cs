using System.Collections.Frozen;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// Sends an accepted purge to the CloudFront distributions of its site, next to the edges. It runs after
/// the 202 (CloudFront takes seconds to minutes; the CMS must not wait for it) and its outcome appears in
/// the purge's status. A passing refusal (throttling, too many invalidations in progress, no answer) is
/// retried with back-off for <see cref="CloudFrontOptions.RetryForSeconds"/>; every attempt reuses the
/// purge's caller reference, so parts CloudFront already accepted are not invalidated twice. Retries live
/// in this process: a control plane restarted meanwhile does not resume them.
/// </summary>
public sealed partial class CloudFrontPurger : IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> (see <see cref="ControlHost"/>) every site's invalidation client sends with.</summary>
    public const string HttpClientName = "cloudfront";

    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private readonly FrozenDictionary<string, (CloudFrontOptions Options, CloudFrontInvalidationClient Client)> _sites;
    // Bounded as the tracker's records are: a purge the tracker has forgotten has no status to show anyway.
    private readonly RecentPurges<IReadOnlyList<CloudFrontTarget>> _targets;
    private readonly TimeProvider _time;
    private readonly ILogger<CloudFrontPurger> _logger;
    private readonly CancellationTokenSource _stopping = new();

    public CloudFrontPurger(ControlOptions options, IHttpClientFactory httpClients, TimeProvider time, ILoggerFactory loggers)
    {
        _time = time;
        _logger = loggers.CreateLogger<CloudFrontPurger>();
        _targets = new RecentPurges<IReadOnlyList<CloudFrontTarget>>(options.PurgeHistory);
        _sites = options.Sites
            .Where(s => s.CloudFront is { DistributionIds.Count: > 0 })
            .ToFrozenDictionary(
                s => s.Name,
                s => (s.CloudFront!, new CloudFrontInvalidationClient(
                    httpClients.CreateClient(HttpClientName), s.CloudFront!, time, loggers.CreateLogger<CloudFrontInvalidationClient>())),
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
        _targets.Add(record.Id, targets);
        var request = record.Request;
        var paths = CloudFrontPaths.From(request.Urls ?? [], request.Prefixes ?? [], request.Tags ?? [], request.All);
        record.CloudFrontUnsupported = paths.Unsupported;
        foreach (var target in targets)
        {
            if (paths.Paths.Count == 0)
            {
                target.Fail("nothing in this purge can be expressed as CloudFront paths");
                continue;
            }
            _ = Task.Run(() => InvalidateAsync(site.Client, target, paths.Paths, record.Id, TimeSpan.FromSeconds(site.Options.RetryForSeconds)));
        }
    }

    private async Task InvalidateAsync(CloudFrontInvalidationClient client, CloudFrontTarget target, IReadOnlyList<string> paths, string purgeId, TimeSpan retryFor)
    {
        var giveUpAt = _time.GetUtcNow() + retryFor;
        while (!_stopping.IsCancellationRequested)
        {
            target.BeginAttempt();
            DateTimeOffset retryAt;
            try
            {
                target.Accepted(await client.CreateAsync(target.DistributionId, paths, purgeId, _stopping.Token), _time.GetUtcNow());
                return;
            }
            catch (CloudFrontException e)
            {
                var error = $"{e.Code ?? e.StatusCode?.ToString() ?? "unreachable"}: {e.ErrorMessage ?? e.Message}";
                var delay = CloudFrontBackoff.After(target.Attempts, Random.Shared.NextDouble());
                retryAt = _time.GetUtcNow() + delay;
                if (!e.IsTransient || retryAt > giveUpAt)
                {
                    target.Refused(e.Created, error, retryAt: null);
                    Log.Failed(_logger, purgeId, target.DistributionId, target.Attempts, error);
                    return;
                }
                // Set before the delay starts: what the status shows is what is planned.
                target.Refused(e.Created, error, retryAt);
                Log.Retrying(_logger, purgeId, target.DistributionId, error, delay.TotalSeconds);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            try
            {
                var wait = retryAt - _time.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The purge's CloudFront targets, their statuses refreshed from CloudFront when due.</summary>
    public async Task<IReadOnlyList<CloudFrontTarget>> StatusAsync(PurgeRecord record, CancellationToken cancellationToken)
    {
        if (_targets.Find(record.Id) is not { } targets || !_sites.TryGetValue(record.Site, out var site))
        {
            return [];
        }
        var now = _time.GetUtcNow();
        foreach (var target in targets)
        {
            if (target.ClaimRefresh(now, RefreshEvery) is not { } invalidations)
            {
                continue;
            }
            try
            {
                var refreshed = new List<CloudFrontInvalidation>();
                foreach (var invalidation in invalidations)
                {
                    refreshed.Add(invalidation.IsCompleted ? invalidation : await site.Client.GetAsync(target.DistributionId, invalidation.Id, cancellationToken));
                }
                target.Refreshed(refreshed);
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
        // Ends the waits of retries still planned: they are not resumed by a later process.
        _stopping.Cancel();
        _stopping.Dispose();
        foreach (var (_, client) in _sites.Values)
        {
            client.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "CloudFront invalidation for purge {PurgeId} on {Distribution} failed after {Attempts} attempt(s): {Error}")]
        public static partial void Failed(ILogger logger, string purgeId, string distribution, int attempts, string error);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "CloudFront invalidation for purge {PurgeId} on {Distribution} refused ({Error}); retrying in {Seconds:0.0} s")]
        public static partial void Retrying(ILogger logger, string purgeId, string distribution, string error, double seconds);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "CloudFront status of purge {PurgeId} on {Distribution} not refreshed: {Error}")]
        public static partial void RefreshFailed(ILogger logger, string purgeId, string distribution, string error);
    }
}
