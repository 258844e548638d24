using CdnPlatform.Control.CloudFront;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>The CloudFront state of purges is held for as many purges as the tracker holds, and no more.</summary>
public sealed class CloudFrontPurgerHistoryTests : IAsyncLifetime
{
    private const int History = 3;
    private FakeCloudFront _cloudFront = null!;
    private ServiceProvider _services = null!;
    private CloudFrontPurger _purger = null!;

    public async Task InitializeAsync()
    {
        _cloudFront = await FakeCloudFront.StartAsync(TimeProvider.System);
        var options = new ControlOptions
        {
            PurgeHistory = History,
            Sites =
            [
                new ControlSiteOptions
                {
                    Name = "shop",
                    Hosts = ["www.shop.test"],
                    CloudFront = new CloudFrontOptions
                    {
                        DistributionIds = ["EDFDVBD6EXAMPLE"],
                        Endpoint = _cloudFront.Endpoint.ToString(),
                        AccessKeyId = FakeCloudFront.AccessKeyId,
                        SecretAccessKey = FakeCloudFront.SecretAccessKey,
                    },
                },
            ],
        };
        var services = new ServiceCollection();
        CloudFrontPurger.AddHttpClient(services);
        _services = services.BuildServiceProvider();
        _purger = new CloudFrontPurger(options, _services.GetRequiredService<IHttpClientFactory>(), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        _purger.Dispose();
        await _services.DisposeAsync();
        await _cloudFront.DisposeAsync();
    }

    private static PurgeRecord Record(int n) => new($"purge-{n}",
        new PurgeRequest { Site = "shop", Urls = [$"http://www.shop.test/p/{n}"] }, "key", ["ams"], DateTimeOffset.UtcNow, 0);

    [Fact]
    public async Task Purges_PastTheHistory_LoseTheirCloudFrontStateOldestFirst()
    {
        var records = Enumerable.Range(1, History + 2).Select(Record).ToArray();
        foreach (var record in records)
        {
            _purger.Start(record);
        }

        Assert.Equal(History, _purger.Tracked);
        Assert.Empty(await _purger.StatusAsync(records[0], CancellationToken.None));
        Assert.Empty(await _purger.StatusAsync(records[1], CancellationToken.None));
        foreach (var kept in records[2..])
        {
            Assert.Equal("EDFDVBD6EXAMPLE", Assert.Single(await _purger.StatusAsync(kept, CancellationToken.None)).DistributionId);
        }
    }

    [Fact]
    public async Task Purges_WithinTheHistory_AreAllKept()
    {
        var records = Enumerable.Range(1, History).Select(Record).ToArray();
        foreach (var record in records)
        {
            _purger.Start(record);
        }

        Assert.Equal(History, _purger.Tracked);
        foreach (var record in records)
        {
            Assert.Single(await _purger.StatusAsync(record, CancellationToken.None));
        }
    }
}
