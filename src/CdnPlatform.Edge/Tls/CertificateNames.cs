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
        _exact = names.Where(n => !IsWildcard(n)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _wildcardParents = names.Where(IsWildcard).Select(n => n[2..]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public bool Covers(string host) => _exact.Contains(host) || (WildcardParent(host) is { } parent && _wildcardParents.Contains(parent));

    public static bool IsWildcard(string name) => name.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>What a wildcard standing for <paramref name="host"/> names after <c>*.</c>: its first label dropped.</summary>
    public static string? WildcardParent(string host)
    {
        var dot = host.IndexOf('.');
        return dot > 0 ? host[(dot + 1)..] : null;
    }
}
