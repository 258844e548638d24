using CdnPlatform.Origin.Storage;

namespace CdnPlatform.Origin.Publishing;

/// <summary>
/// Retries the outbox: once a second, every purge a publish could not hand to the control plane is sent again,
/// oldest first, until the control plane accepts it. Each node of the datacenter drains; a lease keeps two
/// from sending the same entry at once (sending one twice is harmless: a purge is idempotent).
/// A read-only datacenter does not drain: its outbox is the primary's, replicated.
/// </summary>
public sealed class PurgeOutboxDrainer(IPurgeOutbox outbox, ControlPlanePurger purger, IDatacenterRole role, OriginOptions options,
    TimeProvider timeProvider, ILogger<PurgeOutboxDrainer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Longer than a publish's own attempt takes, so a publish in progress is not raced by its own retry.
    private static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DrainOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Purge outbox not drained this round: {Reason}", e.Message);
            }
        }
    }

    /// <returns>How many purges the control plane accepted.</returns>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        if (!await role.IsWritableAsync(cancellationToken))
        {
            return 0;
        }

        var accepted = 0;
        var now = timeProvider.GetUtcNow();
        foreach (var entry in await outbox.PendingAsync(100, cancellationToken))
        {
            if (now - entry.PublishedAt < MinimumAge || !await outbox.TryClaimAsync(entry, options.Node, Lease, cancellationToken))
            {
                continue;
            }

            var attempt = await purger.SendAsync(entry.Tags, cancellationToken);
            if (attempt is not { Accepted: true })
            {
                // The control plane is still away: the rest would fail the same way; next round.
                logger.LogWarning("Purge of {Tags} (published {PublishedAt:O}) still queued: {Reason}",
                    string.Join(' ', entry.Tags), entry.PublishedAt, attempt?.Problem ?? "no purge target configured");
                break;
            }

            await outbox.RemoveAsync(entry, cancellationToken);
            accepted++;
            logger.LogInformation("Queued purge of {Tags} accepted as {PurgeId}", string.Join(' ', entry.Tags), attempt.PurgeId);
        }
        return accepted;
    }
}
