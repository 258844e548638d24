namespace CdnPlatform.Control.Api;

/// <summary>One external DNS server in <c>GET /v1/status</c>; <c>GET /v1/dns</c> has the rest.</summary>
public sealed record DnsSecondarySummary(string Server, string Zone, string State, uint? AckedSerial, string? LastError);
