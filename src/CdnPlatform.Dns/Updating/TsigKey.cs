using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Updating;

/// <summary>
/// A shared TSIG key (RFC 8945) as BIND's <c>key "…" { algorithm …; secret "…"; }</c> declares it: the name both
/// sides know it by, the HMAC algorithm and the secret. <see cref="ToString"/> leaves the secret out.
/// </summary>
public sealed class TsigKey
{
    /// <summary>The algorithm names BIND, Knot and PowerDNS use, and ARSoft's value for each.</summary>
    public static readonly IReadOnlyDictionary<string, TSigAlgorithm> Algorithms = new Dictionary<string, TSigAlgorithm>(StringComparer.OrdinalIgnoreCase)
    {
        ["hmac-sha256"] = TSigAlgorithm.Sha256,
        ["hmac-sha384"] = TSigAlgorithm.Sha384,
        ["hmac-sha512"] = TSigAlgorithm.Sha512,
    };

    public TsigKey(DomainName name, TSigAlgorithm algorithm, byte[] secret)
    {
        ArgumentOutOfRangeException.ThrowIfZero(secret.Length, nameof(secret));
        Name = name;
        Algorithm = algorithm;
        Secret = secret;
    }

    public DomainName Name { get; }

    public TSigAlgorithm Algorithm { get; }

    public byte[] Secret { get; }

    public override string ToString() => $"{Name} ({Algorithm})";
}
