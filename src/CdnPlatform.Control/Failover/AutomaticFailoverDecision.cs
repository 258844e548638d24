namespace CdnPlatform.Control.Failover;

/// <summary>The automatic failover policy's decision, and why (the audit line of a failover carries the reason).</summary>
public sealed record AutomaticFailoverDecision(AutomaticFailoverAction Action, string? To, string Reason);
