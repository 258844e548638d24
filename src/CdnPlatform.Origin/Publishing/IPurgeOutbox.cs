namespace CdnPlatform.Origin.Publishing;

/// <summary>
/// The publishes whose purge the control plane has not accepted yet, in the datacenter's storage: a publish
/// appends before it calls the control plane and removes the entry once it answered 202, so a purge is never
/// lost to an unreachable control plane or a node that dies halfway; <see cref="PurgeOutboxDrainer"/> retries.
/// </summary>
public interface IPurgeOutbox
{
    Task<PendingPurge> AppendAsync(IReadOnlyList<string> tags, DateTimeOffset publishedAt, CancellationToken cancellationToken = default);

    /// <summary>The oldest entries first, at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<PendingPurge>> PendingAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="entry"/> for this node for <paramref name="lease"/>, so the datacenter's nodes do not
    /// all send the same purge at once. False when another node holds it.
    /// </summary>
    Task<bool> TryClaimAsync(PendingPurge entry, string node, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry: the control plane has it now.</summary>
    Task RemoveAsync(PendingPurge entry, CancellationToken cancellationToken = default);
}
