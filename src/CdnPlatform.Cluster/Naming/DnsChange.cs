namespace CdnPlatform.Cluster.Naming;

/// <summary>
/// The control plane changed records in these zones (apex names such as <c>shop.test.</c>), now at
/// <paramref name="Serial"/>: every edge re-resolves the names it uses in them at once instead of waiting
/// for their TTL to run out.
/// </summary>
public sealed record DnsChange(IReadOnlyList<string> Zones, uint Serial, DateTimeOffset At)
{
    /// <summary>Whether <paramref name="name"/> is a zone's apex or lies under it; case and a final dot do not matter.</summary>
    public bool Concerns(string name)
    {
        var bare = name.TrimEnd('.');
        foreach (var zone in Zones)
        {
            var apex = zone.TrimEnd('.');
            if (bare.Equals(apex, StringComparison.OrdinalIgnoreCase)
                || (bare.Length > apex.Length && bare[^(apex.Length + 1)] == '.' && bare.EndsWith(apex, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }
}
