namespace CdnPlatform.Control.CloudFront;

/// <summary>What became of one purge at one CloudFront distribution, as the purge status reports it.</summary>
public sealed class CloudFrontTarget
{
    public CloudFrontTarget(string distributionId) => DistributionId = distributionId;

    public string DistributionId { get; }

    /// <summary>Invalidations created for the purge (several when its paths exceed one request's limits).</summary>
    public IReadOnlyList<CloudFrontInvalidation> Invalidations { get; set; } = [];

    /// <summary>Why the invalidation could not be (fully) created; null while fine.</summary>
    public string? Error { get; set; }

    /// <summary><c>submitting</c>, <c>in-progress</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string State => Error is not null ? "failed"
        : Invalidations.Count == 0 ? "submitting"
        : Invalidations.All(i => i.IsCompleted) ? "completed"
        : "in-progress";

    /// <summary>When the statuses were last asked of CloudFront (status reads refresh at most every few seconds).</summary>
    public DateTimeOffset LastRefreshed { get; set; }
}
