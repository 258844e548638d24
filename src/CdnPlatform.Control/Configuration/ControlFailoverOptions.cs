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
    }
}
