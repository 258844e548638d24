namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// A site's origin addresses as a fetch chooses from them (CloudFront's origin group): the primary origin's
/// addresses first, then from <see cref="FailoverAt"/> on the failover origin's. Immutable: rebuilt whole when
/// an answer from DNS changes, so a fetch reads one consistent group.
/// </summary>
/// <param name="Addresses">Every address in order of preference, each once.</param>
/// <param name="FailoverAt">The index of the failover origin's first address; <c>Addresses.Count</c> when it has none.</param>
public sealed record OriginGroup(IReadOnlyList<string> Addresses, int FailoverAt)
{
    /// <summary>A group of one member, a site without a failover origin.</summary>
    public OriginGroup(IReadOnlyList<string> addresses)
        : this(addresses, addresses.Count)
    {
    }

    public static OriginGroup Empty { get; } = new([]);

    /// <summary>Whether <paramref name="address"/> is one of the failover origin's.</summary>
    public bool IsFailover(string address)
    {
        for (var i = FailoverAt; i < Addresses.Count; i++)
        {
            if (Addresses[i] == address)
            {
                return true;
            }
        }
        return false;
    }
}
