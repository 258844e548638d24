using System.Collections.Concurrent;

namespace CdnPlatform.Control.Purging;

/// <summary>An accepted purge and the acknowledgements it has collected so far.</summary>
public sealed class PurgeRecord
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _acks = new(StringComparer.Ordinal);

    public PurgeRecord(string id, string site, IReadOnlyList<string> urls, IReadOnlyList<string> expectedEdges, DateTimeOffset acceptedAt)
    {
        Id = id;
        Site = site;
        Urls = urls;
        ExpectedEdges = expectedEdges;
        AcceptedAt = acceptedAt;
    }

    public string Id { get; }
    public string Site { get; }
    public IReadOnlyList<string> Urls { get; }
    public IReadOnlyList<string> ExpectedEdges { get; }
    public DateTimeOffset AcceptedAt { get; }

    /// <summary>Records an edge's acknowledgement; a repeated one keeps the first time.</summary>
    public void Acknowledge(string edge, DateTimeOffset appliedAt) => _acks.TryAdd(edge, appliedAt);

    public DateTimeOffset? AppliedAt(string edge) => _acks.TryGetValue(edge, out var at) ? at : null;

    public bool IsDone => ExpectedEdges.All(_acks.ContainsKey);
}
