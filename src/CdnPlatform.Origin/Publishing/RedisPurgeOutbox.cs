using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Publishing;

/// <summary>
/// The outbox as a Redis stream (<c>{prefix}:purge-outbox</c>) in the datacenter's Redis: appended with
/// <c>XADD</c> (fsynced like every write under <c>appendfsync always</c>), read oldest first with
/// <c>XRANGE</c>, removed with <c>XDEL</c> once the control plane accepted the purge. A claim is a key
/// set with <c>NX</c> and a lease, so a node that dies holding one lets another take over when it expires.
/// </summary>
public sealed class RedisPurgeOutbox(IConnectionMultiplexer redis, string keyPrefix) : IPurgeOutbox
{
    private const string TagsField = "tags";
    private const string PublishedAtField = "publishedAt";

    private readonly RedisKey _stream = keyPrefix + ":purge-outbox";

    private IDatabase Database => redis.GetDatabase();

    public async Task<PendingPurge> AppendAsync(IReadOnlyList<string> tags, DateTimeOffset publishedAt, CancellationToken cancellationToken = default)
    {
        var id = await Database.StreamAddAsync(_stream,
        [
            new NameValueEntry(TagsField, JsonSerializer.Serialize(tags)),
            new NameValueEntry(PublishedAtField, publishedAt.ToString("O", CultureInfo.InvariantCulture)),
        ]);
        return new PendingPurge(id.ToString(), tags, publishedAt);
    }

    public async Task<IReadOnlyList<PendingPurge>> PendingAsync(int count, CancellationToken cancellationToken = default)
    {
        var entries = await Database.StreamRangeAsync(_stream, "-", "+", count);
        return [.. entries.Select(e => new PendingPurge(
            e.Id.ToString(),
            JsonSerializer.Deserialize<List<string>>(e[TagsField].ToString()) ?? [],
            DateTimeOffset.Parse(e[PublishedAtField].ToString(), CultureInfo.InvariantCulture)))];
    }

    public async Task<bool> TryClaimAsync(PendingPurge entry, string node, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var claim = (RedisKey)$"{keyPrefix}:purge-outbox:claim:{entry.EntryId}";
        return await Database.StringSetAsync(claim, node, lease, When.NotExists)
            || await Database.StringGetAsync(claim) == node;
    }

    public Task RemoveAsync(PendingPurge entry, CancellationToken cancellationToken = default) =>
        Database.StreamDeleteAsync(_stream, [entry.EntryId]);
}
