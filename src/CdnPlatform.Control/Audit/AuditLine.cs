namespace CdnPlatform.Control.Audit;

/// <summary>One audit line as written: its kind (<c>purge</c>, <c>dns</c>, <c>failover</c>) and the entry's JSON.</summary>
public sealed record AuditLine(string Kind, string Json);
