namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>What the active health check has seen of one node since this gateway started.</summary>
/// <param name="Rounds">Probes completed. Rounds run one after another, so once it has grown by two since a moment, a whole probe began after that moment: a deploy reads it to know the gateway has seen the restarted node, not the one before.</param>
/// <param name="LastSucceeded">Whether the last probe got a 2xx answer.</param>
/// <param name="FailuresInARow">Failed probes since the last success.</param>
public sealed record ProbeTally(long Rounds, bool LastSucceeded, int FailuresInARow)
{
    public static readonly ProbeTally None = new(0, false, 0);

    public ProbeTally After(bool succeeded) => new(Rounds + 1, succeeded, succeeded ? 0 : FailuresInARow + 1);
}
