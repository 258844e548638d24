namespace CdnPlatform.Control.CloudFront;

/// <summary>Part of a purge CloudFront cannot be asked to invalidate, kept so the caller can say so instead of dropping it.</summary>
/// <param name="Kind"><c>url</c>, <c>prefix</c> or <c>tag</c>.</param>
/// <param name="Item">The purge item as given.</param>
public sealed record CloudFrontUnsupportedItem(string Kind, string Item, string Reason);
