namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// One accepted purge as it travels from the control plane to every edge, in log order.
/// URLs and prefixes are absolute (<c>http://www.shop.test/products/</c>); tags are surrogate keys;
/// <see cref="All"/> covers every URL of the site. Soft purges mark stale, hard ones remove.
/// </summary>
public sealed record PurgeMessage(string Id, string Site, IReadOnlyList<string> Urls, DateTimeOffset IssuedAt)
{
    public IReadOnlyList<string> Prefixes { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool All { get; init; }
    public bool Soft { get; init; }

    /// <summary>Position in the purge log, assigned by <see cref="IPurgeBus.PublishAsync"/>; 0 before.</summary>
    public long Sequence { get; init; }
}
