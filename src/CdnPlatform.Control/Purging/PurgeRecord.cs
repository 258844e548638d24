using System.Collections.Concurrent;

namespace CdnPlatform.Control.Purging;

/// <summary>An accepted purge and the acknowledgements it has collected so far.</summary>
public sealed class PurgeRecord
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset AppliedAt, TimeSpan ReceivedAfter)> _acks = new(StringComparer.Ordinal);

    /// <param name="acceptedTimestamp">The control plane's monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>) when the request came in.</param>
    public PurgeRecord(string id, PurgeRequest request, string key, IReadOnlyList<string> expectedEdges, DateTimeOffset acceptedAt, long acceptedTimestamp)
    {
        Id = id;
        Request = request;
        Key = key;
        ExpectedEdges = expectedEdges;
        AcceptedAt = acceptedAt;
        AcceptedTimestamp = acceptedTimestamp;
    }

    public string Id { get; }
    public PurgeRequest Request { get; }
    public string Site => Request.Site!;
    public IReadOnlyList<string> Urls => Request.Urls ?? [];

    /// <summary>Name of the API key that sent it.</summary>
    public string Key { get; }

    public IReadOnlyList<string> ExpectedEdges { get; }
    public DateTimeOffset AcceptedAt { get; }
    public long AcceptedTimestamp { get; }

    /// <summary>Items CloudFront cannot express (tags, URLs with '*'), reported in the status.</summary>
    public IReadOnlyList<CloudFront.CloudFrontUnsupportedItem> CloudFrontUnsupported { get; set; } = [];

    /// <summary>The purge's position in the log, known once the append succeeded.</summary>
    public long Sequence { get; set; }

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every expected edge has acknowledged: lets a status request wait instead of polling.</summary>
    public Task Done => _done.Task;

    /// <summary>Records an edge's acknowledgement; a repeated one keeps the first.</summary>
    /// <param name="appliedAt">When the edge applied it, by the edge's clock.</param>
    /// <param name="receivedAfter">How long after the request came in the acknowledgement arrived, by the control plane's clock.</param>
    public void Acknowledge(string edge, DateTimeOffset appliedAt, TimeSpan receivedAfter)
    {
        if (_acks.TryAdd(edge, (appliedAt, receivedAfter)) && IsDone)
        {
            _done.TrySetResult();
        }
    }

    public DateTimeOffset? AppliedAt(string edge) => _acks.TryGetValue(edge, out var ack) ? ack.AppliedAt : null;

    /// <summary>
    /// From the request to the last edge's acknowledgement, once every edge acknowledged. Measured on the control
    /// plane's monotonic clock alone: edges' wall clocks differ from it (and step) by more than a propagation takes.
    /// </summary>
    public TimeSpan? Propagation => IsDone ? _acks.Values.Max(a => a.ReceivedAfter) : null;

    /// <summary>Whether the edge applied it: acknowledged, or its durable mark has passed it (an ack lost in transit).</summary>
    public bool IsAppliedBy(string edge, IReadOnlyDictionary<string, long> appliedMarks) =>
        _acks.ContainsKey(edge) || (Sequence > 0 && appliedMarks.TryGetValue(edge, out var mark) && mark >= Sequence);

    public bool IsDone => ExpectedEdges.All(_acks.ContainsKey);
}
