using System.Collections.Concurrent;
using System.Collections.Immutable;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Invalidation;

/// <summary>
/// Recent invalidations, kept after they are applied, so a response whose fetch began before one of them
/// is not stored after it: the purge may have been meant for that very content (the purge race).
/// </summary>
internal sealed class InvalidationRecord
{
    /// <summary>Fetches do not outlive a few minutes (activity timeouts), so older invalidations can no longer race one.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<CacheKey, (long Generation, DateTimeOffset At)> _keys = new();
    private readonly ConcurrentDictionary<string, (long Generation, DateTimeOffset At)> _tags = new(StringComparer.Ordinal);
    private ImmutableArray<(Ban Ban, DateTimeOffset At)> _bans = [];

    public void Key(CacheKey key, long generation, DateTimeOffset at) => _keys[key] = (generation, at);

    public void Tag(string tag, long generation, DateTimeOffset at) => _tags[tag] = (generation, at);

    public void Banned(Ban ban, DateTimeOffset at) => ImmutableInterlocked.Update(ref _bans, static (bans, b) => bans.Add(b), (ban, at));

    /// <summary>Whether the entry's URL, one of its tags, or a ban covering it was invalidated after generation <paramref name="since"/>.</summary>
    public bool InvalidatedSince(CacheEntry entry, long since)
    {
        if (_keys.TryGetValue(entry.Key, out var byKey) && byKey.Generation > since)
        {
            return true;
        }
        foreach (var tag in entry.Tags)
        {
            if (_tags.TryGetValue(tag, out var byTag) && byTag.Generation > since)
            {
                return true;
            }
        }
        foreach (var (ban, _) in _bans)
        {
            if (ban.Generation > since && ban.Covers(entry.Key))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Forgets what happened before <paramref name="cutoff"/>.</summary>
    public void ForgetBefore(DateTimeOffset cutoff)
    {
        foreach (var (key, record) in _keys)
        {
            if (record.At < cutoff)
            {
                _keys.TryRemove(KeyValuePair.Create(key, record));
            }
        }
        foreach (var (tag, record) in _tags)
        {
            if (record.At < cutoff)
            {
                _tags.TryRemove(KeyValuePair.Create(tag, record));
            }
        }
        ImmutableInterlocked.Update(ref _bans, static (bans, c) => bans.RemoveAll(b => b.At < c), cutoff);
    }
}
