namespace CdnPlatform.Control.Failover;

/// <summary>
/// A datacenter Redis's replication as its last <c>INFO replication</c> said: its role (<c>master</c> or
/// <c>slave</c>, Redis's words), its offset (a primary's <c>master_repl_offset</c>, a replica's
/// <c>slave_repl_offset</c>), and for a replica whether its link to the primary is up. A switchover waits until
/// the target's offset reaches the primary's; a failover reports the gap as writes that may be lost.
/// </summary>
public sealed record RedisReplication(string Role, long Offset, bool? LinkUp)
{
    public bool IsPrimary => Role == "master";

    /// <summary>Reads the fields of an <c>INFO replication</c> section; null when it has no role.</summary>
    public static RedisReplication? Parse(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var values = fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        if (!values.TryGetValue("role", out var role))
        {
            return null;
        }
        var offsetField = role == "master" ? "master_repl_offset" : "slave_repl_offset";
        var offset = values.TryGetValue(offsetField, out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        bool? linkUp = role == "master" ? null : values.TryGetValue("master_link_status", out var link) && link == "up";
        return new RedisReplication(role, offset, linkUp);
    }
}
