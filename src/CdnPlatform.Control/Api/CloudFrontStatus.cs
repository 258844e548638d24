namespace CdnPlatform.Control.Api;

/// <summary>A purge's CloudFront side: each distribution, and what CloudFront could not be asked to do.</summary>
public sealed record CloudFrontStatus(IReadOnlyList<CloudFrontTargetStatus> Targets, IReadOnlyList<CloudFrontUnsupportedStatus> Unsupported);
