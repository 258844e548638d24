using System.Text.RegularExpressions;

namespace CdnPlatform.Dns.Zones;

/// <summary>What may be a zone's name in configuration: host-name labels (RFC 1123), dot-separated, no trailing dot.</summary>
public static partial class DnsNames
{
    public static bool IsZoneName(string? name) => name is { Length: > 0 and <= 253 } && ZonePattern().IsMatch(name);

    [GeneratedRegex(@"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$")]
    private static partial Regex ZonePattern();
}
