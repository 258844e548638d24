using System.Collections.Frozen;

namespace CdnPlatform.Edge.Tls;

/// <summary>
/// The DNS names a server certificate is valid for (its subject alternative names): whether a request's Host is one
/// of them, wildcards standing for exactly one label (RFC 6125 §6.4.3).
/// </summary>
internal sealed class CertificateNames
{
    private readonly FrozenSet<string> _exact;
    // What follows "*.": shop.test for *.shop.test.
    private readonly FrozenSet<string> _wildcardParents;

    public CertificateNames(IEnumerable<string> dnsNames)
    {
        var names = dnsNames.ToList();
        _exact = names.Where(n => !n.StartsWith("*.", StringComparison.Ordinal)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _wildcardParents = names.Where(n => n.StartsWith("*.", StringComparison.Ordinal)).Select(n => n[2..])
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public bool Covers(string host)
    {
        if (_exact.Contains(host))
        {
            return true;
        }
        var dot = host.IndexOf('.');
        return dot > 0 && _wildcardParents.Contains(host[(dot + 1)..]);
    }
}
