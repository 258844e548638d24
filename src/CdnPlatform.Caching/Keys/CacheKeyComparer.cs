namespace CdnPlatform.Caching.Keys;

/// <summary>
/// Keys compared by their characters, ordinally, and also against characters that are not a string yet: a hit can be
/// looked up by the key <see cref="CacheKey.Format"/> wrote on the stack, and a key string is made only for a miss.
/// </summary>
internal sealed class CacheKeyComparer : IEqualityComparer<CacheKey>, IAlternateEqualityComparer<ReadOnlySpan<char>, CacheKey>
{
    public static CacheKeyComparer Instance { get; } = new();

    public bool Equals(CacheKey x, CacheKey y) => string.Equals(x.Value, y.Value, StringComparison.Ordinal);

    // The same hash for a key and for its characters: both are the string's own (randomised per process).
    public int GetHashCode(CacheKey key) => string.GetHashCode(key.Value.AsSpan());

    public bool Equals(ReadOnlySpan<char> alternate, CacheKey other) => alternate.SequenceEqual(other.Value);

    public int GetHashCode(ReadOnlySpan<char> alternate) => string.GetHashCode(alternate);

    public CacheKey Create(ReadOnlySpan<char> alternate) => CacheKey.FromFormatted(alternate);
}
