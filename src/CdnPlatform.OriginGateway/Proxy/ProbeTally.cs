namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>What the active health check has seen of one node since this gateway started.</summary>
/// <param name="Rounds">Probes completed. Rounds run one after another, so once it has grown by two since a moment, a whole probe began after that moment: a deploy reads it to know the gateway has seen the restarted node, not the one before.</param>
/// <param name="Last">What the last probe got; meaningless while <paramref name="Rounds"/> is 0.</param>
/// <param name="FailuresInARow">Probes that were not <see cref="ProbeOutcome.Ok"/> since the last one that was.</param>
public sealed record ProbeTally(long Rounds, ProbeOutcome Last, int FailuresInARow)
{
    public static readonly ProbeTally None = new(0, ProbeOutcome.Failed, 0);

    /// <summary>Whether the last probe got a 2xx answer.</summary>
    public bool LastSucceeded => Rounds > 0 && Last == ProbeOutcome.Ok;

    public ProbeTally After(ProbeOutcome outcome) => new(Rounds + 1, outcome, outcome == ProbeOutcome.Ok ? 0 : FailuresInARow + 1);
}
