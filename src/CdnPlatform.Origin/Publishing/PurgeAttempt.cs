namespace CdnPlatform.Origin.Publishing;

/// <summary>What the control plane said to one purge request.</summary>
/// <param name="PurgeId">Its id when it answered 202: from then on the control plane's log holds the purge.</param>
/// <param name="Problem">Why it was not accepted: unreachable, or its status and error.</param>
public sealed record PurgeAttempt(string? PurgeId, string? Problem)
{
    public bool Accepted => PurgeId is not null;
}
