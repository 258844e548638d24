using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Tests;

/// <summary>Purge messages for tests, and a field-by-field comparison (the record's lists compare by reference).</summary>
internal static class Purges
{
    public static readonly DateTimeOffset Issued = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static PurgeMessage Url(string id) => new(id, "shop", [$"http://www.shop.test/{id}"], Issued);

    /// <summary>Every field set to something other than its default.</summary>
    public static PurgeMessage Full(string id) =>
        new(id, "shop-" + id, [$"http://www.shop.test/{id}", "https://www.shop.test/ünïcode?q=1&r=\"2\""],
            new DateTimeOffset(2026, 11, 22, 14, 30, 15, 123, TimeSpan.FromHours(2)))
        {
            Prefixes = ["http://www.shop.test/products/", "https://img.shop.test/"],
            Tags = ["product-" + id, "category-7"],
            All = true,
            Soft = true,
        };

    public static void AssertSameContent(PurgeMessage expected, PurgeMessage actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Site, actual.Site);
        Assert.Equal(expected.Urls, actual.Urls);
        Assert.Equal(expected.Prefixes, actual.Prefixes);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.All, actual.All);
        Assert.Equal(expected.Soft, actual.Soft);
        Assert.Equal(expected.IssuedAt, actual.IssuedAt);
        Assert.Equal(expected.IssuedAt.Offset, actual.IssuedAt.Offset);
    }
}
