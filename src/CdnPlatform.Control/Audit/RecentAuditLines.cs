namespace CdnPlatform.Control.Audit;

/// <summary>
/// The last <c>Control:AuditHistory</c> audit lines, as written, for <c>GET /v1/audit</c>: bounded however long the
/// control plane runs; the file (<c>Control:AuditLogPath</c>) is where every line stays.
/// </summary>
public sealed class RecentAuditLines(int capacity)
{
    private readonly Queue<AuditLine> _lines = new();
    private readonly Lock _lock = new();

    public void Add(AuditLine line)
    {
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>Up to <paramref name="count"/> lines, newest first.</summary>
    public IReadOnlyList<AuditLine> Newest(int count)
    {
        lock (_lock)
        {
            return [.. _lines.Reverse().Take(count)];
        }
    }
}
