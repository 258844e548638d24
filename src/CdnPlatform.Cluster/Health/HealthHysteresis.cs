namespace CdnPlatform.Cluster.Health;

/// <summary>
/// Turns a stream of probe results into a state that does not flap: <see cref="FailAfter"/> failures in a row
/// to go down, <see cref="RecoverAfter"/> successes in a row to come back. A datacenter that answers one probe
/// in three therefore stays down instead of flipping traffic back and forth. From <see cref="HealthState.Unknown"/>
/// (nothing probed yet) one success is enough to be up: there is no earlier state to flap from.
/// Pure and not thread-safe: one prober owns each instance.
/// </summary>
public sealed class HealthHysteresis
{
    private int _streak;
    private bool _streakIsUp;

    public HealthHysteresis(int failAfter, int recoverAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failAfter, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recoverAfter, 1);
        FailAfter = failAfter;
        RecoverAfter = recoverAfter;
    }

    public int FailAfter { get; }

    public int RecoverAfter { get; }

    public HealthState State { get; private set; } = HealthState.Unknown;

    /// <summary>When <see cref="State"/> last changed; null while it is still <see cref="HealthState.Unknown"/>.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>Failed probes since the last success; 0 after a success.</summary>
    public int FailuresInARow => _streakIsUp ? 0 : _streak;

    /// <summary>The last probe's failure, for ops; null after a success.</summary>
    public string? LastError { get; private set; }

    /// <summary>Records one probe; returns whether <see cref="State"/> changed.</summary>
    public bool Record(bool up, DateTimeOffset at, string? error = null)
    {
        _streak = _streakIsUp == up ? _streak + 1 : 1;
        _streakIsUp = up;
        LastError = up ? null : error ?? "failed";
        var next = (State, up) switch
        {
            (HealthState.Unknown, true) => HealthState.Up,
            (HealthState.Down, true) when _streak >= RecoverAfter => HealthState.Up,
            (not HealthState.Down, false) when _streak >= FailAfter => HealthState.Down,
            _ => State,
        };
        if (next == State)
        {
            return false;
        }
        State = next;
        Since = at;
        return true;
    }
}
