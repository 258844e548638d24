using CdnPlatform.Origin.Content;
using Microsoft.AspNetCore.DataProtection;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// Seeds the datacenter's content from <c>origin/content/</c> when it has none, retrying while the storage is
/// unreachable: a node starts with Redis down and becomes ready (<c>/healthz</c>) once the content is there.
/// A read-only datacenter on Redis never seeds: its content arrives by replication. A writable one also makes sure the
/// shared Data Protection key ring has a key, so a replica never has to make one it cannot store.
/// </summary>
public sealed class ContentSeeder(ShopSeed seed, IShopContent content, IDatacenterRole role, OriginOptions options, IDataProtectionProvider dataProtection,
    TimeProvider timeProvider, ILogger<ContentSeeder> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Without Redis nothing replicates content to a read-only node, so it seeds its own copy.
                if (options.Redis is null || await role.IsWritableAsync(stoppingToken))
                {
                    if (await content.SeedIfAbsentAsync(seed, stoppingToken))
                    {
                        logger.LogInformation("Seeded {Products} products and {Accounts} accounts", seed.Products.Count, seed.Accounts.Count);
                    }
                    _ = dataProtection.CreateProtector(nameof(ContentSeeder)).Protect("key ring ready"u8.ToArray());
                    return;
                }
                if (await content.IsSeededAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Content not seeded yet, retrying in {Delay}: {Reason}", delay, e.Message);
            }

            await Task.Delay(delay, timeProvider, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
        }
    }
}
