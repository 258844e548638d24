namespace CdnPlatform.Control.Api;

/// <summary>One CloudFront invalidation: its ID and CloudFront's status (<c>InProgress</c>, <c>Completed</c>).</summary>
public sealed record CloudFrontInvalidationStatus(string Id, string Status);
