namespace CdnPlatform.Control.Api;

/// <summary>One record: owner name, type, TTL and its data in presentation format (e.g. <c>127.0.21.1</c>).</summary>
public sealed record DnsRecordView(string Name, string Type, int Ttl, string Data);
