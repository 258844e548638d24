using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;

namespace CdnPlatform.Control.Failover;

/// <summary>The steps of one switchover or failover as they happen, each timed and each also an audit line.</summary>
internal sealed class SwitchRun(string kind, string from, string to, string who, TimeProvider time, AuditLog audit)
{
    private readonly List<SwitchStep> _steps = [];
    private long _last = time.GetTimestamp();

    public string Kind => kind;

    public string From => from;

    public string To => to;

    public string Who => who;

    public void Record(string step, string detail)
    {
        var now = time.GetTimestamp();
        _steps.Add(new SwitchStep(step, (long)time.GetElapsedTime(_last, now).TotalMilliseconds, detail));
        _last = now;
        audit.Record(new FailoverAuditEntry(time.GetUtcNow(), who, kind, step, from, to, detail));
    }

    public DatacenterSwitchReport Report(string outcome, long? behind) => new(kind, from, to, outcome, [.. _steps], behind);
}
