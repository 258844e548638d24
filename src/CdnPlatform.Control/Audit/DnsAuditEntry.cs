namespace CdnPlatform.Control.Audit;

/// <summary>
/// One change to the served DNS: who (<see cref="Key"/>, or <c>control-plane</c> for an automatic one), what
/// (<see cref="Change"/>, e.g. <c>active-datacenter</c>), on which zones, and the value before and after.
/// </summary>
public sealed record DnsAuditEntry(
    DateTimeOffset At,
    string Key,
    string Change,
    IReadOnlyList<string> Zones,
    string? Before,
    string After,
    uint Serial);
