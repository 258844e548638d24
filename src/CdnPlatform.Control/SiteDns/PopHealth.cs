using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.SiteDns;

/// <summary>What the probes have shown of one POP: whether <c>www.</c> lists it, and the run of probes behind that.</summary>
public readonly record struct PopHealth(bool Up, int FailuresInARow, int SuccessesInARow)
{
    /// <summary>
    /// Before the first probe: listed. A control plane starting beside healthy edges answers with all of them at
    /// once, and a dead one is out after <see cref="ControlPopHealthOptions.DownAfter"/> probes.
    /// </summary>
    public static PopHealth Assumed => new(true, 0, 0);

    /// <summary>The health after one more probe, by the rules' thresholds; below them a probe changes nothing but the run.</summary>
    public PopHealth After(bool probeSucceeded, ControlPopHealthOptions rules) => probeSucceeded
        ? new PopHealth(Up || SuccessesInARow + 1 >= rules.UpAfter, 0, SuccessesInARow + 1)
        : new PopHealth(Up && FailuresInARow + 1 < rules.DownAfter, FailuresInARow + 1, 0);
}
