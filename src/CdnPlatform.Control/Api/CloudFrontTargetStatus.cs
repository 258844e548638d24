namespace CdnPlatform.Control.Api;

/// <summary>One distribution's invalidations for a purge (see <see cref="CloudFront.CloudFrontTarget"/>).</summary>
public sealed record CloudFrontTargetStatus(
    string Distribution,
    string State,
    IReadOnlyList<CloudFrontInvalidationStatus> Invalidations,
    string? Error,
    int Attempts,
    DateTimeOffset? RetryAt);
