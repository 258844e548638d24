using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Steering;

/// <summary>The addresses <see cref="PopSteering.Choose"/> gives one client.</summary>
/// <param name="Records">The A and AAAA records of the POPs chosen.</param>
/// <param name="ScopePrefixLength">
/// How many leading bits of the client's address the choice depended on: the SCOPE PREFIX-LENGTH of the answer's
/// client subnet option (RFC 7871 §7.2.1). 0 when the address was not looked at.
/// </param>
/// <param name="Region">The region whose healthy POPs these are; null when the answer is every healthy POP.</param>
public readonly record struct PopChoice(IReadOnlyList<DnsRecordBase> Records, byte ScopePrefixLength, string? Region);
