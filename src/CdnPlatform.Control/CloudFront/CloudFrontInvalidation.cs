namespace CdnPlatform.Control.CloudFront;

/// <summary>One invalidation as CloudFront reports it.</summary>
/// <param name="Status"><c>InProgress</c> until every edge location has dropped the paths, then <c>Completed</c>.</param>
/// <param name="Paths">The paths CloudFront echoed back for this invalidation.</param>
public sealed record CloudFrontInvalidation(
    string DistributionId,
    string Id,
    string Status,
    DateTimeOffset? CreateTime,
    string CallerReference,
    IReadOnlyList<string> Paths)
{
    public const string CompletedStatus = "Completed";

    public bool IsCompleted => Status == CompletedStatus;
}
