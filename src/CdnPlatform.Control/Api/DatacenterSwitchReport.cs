namespace CdnPlatform.Control.Api;

/// <summary>
/// What a switchover (or failover) did: from which datacenter to which, each step, and how it ended.
/// <see cref="BehindBytes"/> is how far the target's replica was behind the primary when it was promoted: 0 for a
/// switchover, which waits for it; for a failover, the writes that may be lost.
/// </summary>
public sealed record DatacenterSwitchReport(string Kind, string From, string To, string Outcome, IReadOnlyList<SwitchStep> Steps, long? BehindBytes);
