namespace CdnPlatform.Control.Api;

/// <summary>An item of a purge CloudFront cannot express (a tag, a URL containing <c>*</c>), and why.</summary>
public sealed record CloudFrontUnsupportedStatus(string Kind, string Item, string Reason);
