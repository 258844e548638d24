namespace CdnPlatform.Control.Configuration;

/// <summary>
/// How the control plane watches the datacenters (<c>Control:Failover</c>). The defaults find a dead datacenter in
/// about 1.5 s (3 probes 500 ms apart), well inside the 5 s recovery goal, and want 3 s of health before calling
/// it back up, so a datacenter that flaps does not pull traffic back and forth.
/// </summary>
public sealed record ControlFailoverOptions
{
    /// <summary>Time between two probes of every gateway and Redis; also each probe's timeout.</summary>
    public int ProbeMilliseconds { get; init; } = 500;

    /// <summary>Failed probes in a row before a gateway or Redis counts as down.</summary>
    public int FailAfter { get; init; } = 3;

    /// <summary>Successful probes in a row before a down gateway or Redis counts as up again.</summary>
    public int RecoverAfter { get; init; } = 6;

    /// <summary>How long a switchover waits for the writes already past the gateways to finish before it gives up.</summary>
    public int WriteDrainMilliseconds { get; init; } = 5000;

    /// <summary>How long a switchover waits for the target's Redis replica to have every write of the primary.</summary>
    public int CatchUpMilliseconds { get; init; } = 5000;

    /// <summary>
    /// How long a failback waits for the returning datacenter's Redis to resync as a replica of the active one's
    /// (a full copy when it came back as a primary of its own) before it gives up with 504, nothing switched.
    /// </summary>
    public int ResyncMilliseconds { get; init; } = 30_000;

    /// <summary>
    /// How long after a promotion the held writes stay held: a node that found its Redis a replica asks again at
    /// most every 200 ms (<c>RedisDatacenterRole</c>), and a write let through sooner could meet a node that still
    /// takes its promoted store for a replica and refuses it. In a failover the target's gateways open only after
    /// it, so it is part of the time writes wait at the gateways: short, with margin over the 200 ms.
    /// </summary>
    public int RoleSettleMilliseconds { get; init; } = 500;

    /// <summary>
    /// Whether the control plane fails over by itself when the active datacenter's verdict turns down (the control
    /// plane and most reporting edges cannot reach it) and another datacenter is up. Once, never back: after that a
    /// person, or the datacenter it left coming back, re-arms it. Off by default: a failover may lose writes.
    /// </summary>
    public bool Automatic { get; init; }

    /// <summary>
    /// Whether the control plane makes a datacenter's Redis that is not the active one's, and is a primary, a replica
    /// of the active one's as soon as a probe sees it (as Redis Sentinel does with a master that comes back). A failover
    /// cannot fence a primary that is dead; started again, it is a primary with its old data, and its nodes would take
    /// writes that the failback's resync discards. On by default; off, it stays a primary until the failback, for an
    /// operator who wants to read it first.
    /// </summary>
    public bool FenceReturningPrimaries { get; init; } = true;

    public TimeSpan ProbeInterval => TimeSpan.FromMilliseconds(ProbeMilliseconds);

    public IEnumerable<string> Validate(string section)
    {
        if (ProbeMilliseconds is < 50 or > 60_000)
        {
            yield return $"{section}:ProbeMilliseconds must be 50..60000, was {ProbeMilliseconds}";
        }
        if (FailAfter is < 1 or > 100)
        {
            yield return $"{section}:FailAfter must be 1..100, was {FailAfter}";
        }
        if (RecoverAfter is < 1 or > 100)
        {
            yield return $"{section}:RecoverAfter must be 1..100, was {RecoverAfter}";
        }
        foreach (var (key, value) in new[] { (nameof(WriteDrainMilliseconds), WriteDrainMilliseconds), (nameof(CatchUpMilliseconds), CatchUpMilliseconds),
            (nameof(RoleSettleMilliseconds), RoleSettleMilliseconds), (nameof(ResyncMilliseconds), ResyncMilliseconds) })
        {
            if (value is < 0 or > 60_000)
            {
                yield return $"{section}:{key} must be 0..60000, was {value}";
            }
        }
    }
}
