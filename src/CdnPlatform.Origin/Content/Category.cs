namespace CdnPlatform.Origin.Content;

/// <summary>A category page, <c>/category/{Slug}</c>, tagged <c>category-{Slug}</c>.</summary>
public sealed record Category(string Slug, string Name);
