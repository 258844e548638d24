namespace CdnPlatform.Control.Api;

/// <summary>
/// One external server of <c>GET /v1/dns</c> (<c>Control:Dns:Secondaries:N</c>): <paramref name="State"/> is
/// <c>in-sync</c>, <c>pushing</c> or <c>retrying</c>; serials are the control plane's SOA serials.
/// </summary>
public sealed record DnsSecondaryView(string Server, string Zone, string KeyName, string State, uint? PublishedSerial, uint? PushedSerial,
    uint? AckedSerial, DateTimeOffset? AckedAt, int Attempts, string? LastError, DateTimeOffset? NextRetry);
