namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// One accepted purge as it travels from the control plane to every edge. URLs are absolute
/// (<c>http://www.shop.test/products/1</c>); the edge drops every stored response for them.
/// </summary>
public sealed record PurgeMessage(string Id, string Site, IReadOnlyList<string> Urls, DateTimeOffset IssuedAt);
