namespace CdnPlatform.Control.Audit;

/// <summary>One audited purge request. <see cref="Outcome"/>: accepted, rejected, forbidden, rate-limited, unavailable.</summary>
public sealed record PurgeAuditEntry(
    DateTimeOffset At,
    string Key,
    string Outcome,
    string? Site,
    string? PurgeId,
    long? Sequence,
    int Urls,
    int Prefixes,
    int Tags,
    bool All,
    bool Soft,
    string? Reason);
