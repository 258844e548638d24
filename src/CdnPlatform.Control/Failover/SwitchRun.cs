using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// The steps of one switchover, failover or failback as they happen, each timed, each also an audit line, and each
/// handed to <paramref name="stepped"/> (which saves it as the <see cref="FailoverState"/>'s step).
/// </summary>
internal sealed class SwitchRun(string kind, string from, string to, string who, TimeProvider time, AuditLog audit, Func<string, Task> stepped)
{
    private readonly List<SwitchStep> _steps = [];
    private long _last = time.GetTimestamp();

    public string Kind => kind;

    public string From => from;

    public string To => to;

    public string Who => who;

    public async Task RecordAsync(string step, string detail)
    {
        var now = time.GetTimestamp();
        _steps.Add(new SwitchStep(step, (long)time.GetElapsedTime(_last, now).TotalMilliseconds, detail));
        _last = now;
        audit.Record(new FailoverAuditEntry(time.GetUtcNow(), who, kind, step, from, to, detail));
        await stepped(step);
    }

    public DatacenterSwitchReport Report(string outcome, long? behind) => new(kind, from, to, outcome, [.. _steps], behind);
}
