namespace CdnPlatform.Control.CloudFront;

/// <summary>A purge translated for CloudFront: the invalidation paths to send, and what could not be translated.</summary>
public sealed record CloudFrontPathSet(IReadOnlyList<string> Paths, IReadOnlyList<CloudFrontUnsupportedItem> Unsupported);
