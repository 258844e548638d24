using CdnPlatform.Control.CloudFront;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Control.Tests.CloudFront;

public sealed class CloudFrontPurgerTests
{
    /// <summary>The targets of old purges are forgotten at the same bound as the tracker's records, not kept for the process's life.</summary>
    [Fact]
    public async Task Targets_AreKeptForThePurgeHistory_AndTheOldestForgotten()
    {
        var options = new ControlOptions
        {
            PurgeHistory = 3,
            Sites =
            [
                new ControlSiteOptions
                {
                    Name = "shop",
                    Hosts = ["www.shop.test"],
                    CloudFront = new CloudFrontOptions { DistributionIds = ["EDFDVBD6EXAMPLE"], AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = "secret" },
                },
            ],
        };
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var clock = new FakeTimeProvider();
        using var purger = new CloudFrontPurger(options, services.GetRequiredService<IHttpClientFactory>(), clock, NullLoggerFactory.Instance);
        // Tags alone: CloudFront cannot express them, so each target fails at once and nothing is sent.
        var records = Enumerable.Range(1, 5)
            .Select(i => new PurgeRecord($"p{i}", new PurgeRequest { Site = "shop", Tags = ["product-1"] }, "key", ["ams"], clock.GetUtcNow(), clock.GetTimestamp()))
            .ToList();

        foreach (var record in records)
        {
            purger.Start(record);
        }

        foreach (var forgotten in records[..2])
        {
            Assert.Empty(await purger.StatusAsync(forgotten, CancellationToken.None));
        }
        foreach (var kept in records[2..])
        {
            Assert.Equal("failed", Assert.Single(await purger.StatusAsync(kept, CancellationToken.None)).State);
        }
    }
}
