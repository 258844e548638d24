namespace CdnPlatform.Control.CloudFront;

/// <summary>What became of one purge at one CloudFront distribution, as the purge status reports it.</summary>
public sealed class CloudFrontTarget
{
    public CloudFrontTarget(string distributionId) => DistributionId = distributionId;

    public string DistributionId { get; }

    /// <summary>Invalidations created for the purge (several when its paths exceed one request's limits).</summary>
    public IReadOnlyList<CloudFrontInvalidation> Invalidations { get; set; } = [];

    /// <summary>Why the invalidation could not be (fully) created, the last time it was tried; null while fine.</summary>
    public string? Error { get; set; }

    /// <summary>Create requests made so far (a purge split over several requests counts once per round).</summary>
    public int Attempts { get; set; }

    // Written by the purge's background task while status requests read it: kept in one long so a read is
    // never torn (milliseconds are precise enough for a status). -1: none planned.
    private long _retryAtUnixMs = -1;

    /// <summary>When the next attempt is due after a passing refusal; null when none is planned.</summary>
    public DateTimeOffset? RetryAt
    {
        get => Interlocked.Read(ref _retryAtUnixMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        set => Interlocked.Exchange(ref _retryAtUnixMs, value?.ToUnixTimeMilliseconds() ?? -1);
    }

    /// <summary><c>submitting</c>, <c>retrying</c>, <c>in-progress</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string State => RetryAt is not null ? "retrying"
        : Error is not null ? "failed"
        : Invalidations.Count == 0 ? "submitting"
        : Invalidations.All(i => i.IsCompleted) ? "completed"
        : "in-progress";

    /// <summary>When the statuses were last asked of CloudFront (status reads refresh at most every few seconds).</summary>
    public DateTimeOffset LastRefreshed { get; set; }
}
