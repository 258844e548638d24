namespace CdnPlatform.Control.Audit;

/// <summary>One step of a switchover or failover, as it happened: who asked, which step, from and to which datacenter, what it found.</summary>
public sealed record FailoverAuditEntry(DateTimeOffset At, string Key, string Operation, string Step, string From, string To, string Detail);
