using CdnPlatform.Origin.Content;
using Microsoft.AspNetCore.OutputCaching;

namespace CdnPlatform.Origin.Publishing;

/// <summary>
/// A CMS publish, in the order that never leaves a stale page behind: write the content; evict the render
/// cache by the product's tag (so the next render anywhere in the datacenter shows it); record the purge in
/// the outbox; ask the control plane to purge the same tag on every edge and wait for it to be done.
/// </summary>
public sealed class CmsPublisher(IShopContent content, IOutputCacheStore renderCache, IPurgeOutbox outbox, ControlPlanePurger purger,
    TimeProvider timeProvider)
{
    /// <summary>How long a publish waits for every edge to apply its purge before answering <c>accepted</c>.</summary>
    public static readonly TimeSpan PurgeWait = TimeSpan.FromSeconds(10);

    /// <returns>Null when there is no such product (nothing was written).</returns>
    public async Task<PublishOutcome?> PublishAsync(int productId, ProductChange change, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var publishedAt = timeProvider.GetUtcNow();
        if (await content.UpdateProductAsync(productId, change, publishedAt, cancellationToken) is not { } product)
        {
            return null;
        }

        // Every page that shows the product carries its tag: home, its category, searches, its own page.
        IReadOnlyList<string> tags = [$"product-{product.Id}"];
        foreach (var tag in tags)
        {
            await renderCache.EvictByTagAsync(tag, cancellationToken);
        }

        var pending = await outbox.AppendAsync(tags, publishedAt, cancellationToken);
        var attempt = await purger.SendAsync(tags, cancellationToken);
        if (attempt is null)
        {
            await outbox.RemoveAsync(pending, cancellationToken);
            return new PublishOutcome(product, "not-configured", null, null, null, "no purge target (Origin:Purge) is configured");
        }
        if (!attempt.Accepted)
        {
            return new PublishOutcome(product, "queued", null, null, null, $"{attempt.Problem}; the purge stays in the outbox and is retried");
        }

        // From here the control plane's log holds it, durably; the outbox has done its part.
        await outbox.RemoveAsync(pending, cancellationToken);
        var completion = await purger.WaitAsync(attempt.PurgeId!, PurgeWait, cancellationToken);
        var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
        return completion.Done
            ? new PublishOutcome(product, "purged", attempt.PurgeId, elapsed, completion.PropagationMs, null)
            : new PublishOutcome(product, "accepted", attempt.PurgeId, null, null,
                $"the purge is {completion.State}: not every edge applied it within {PurgeWait.TotalSeconds:0} s; they will when they come back");
    }
}
