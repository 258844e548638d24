namespace CdnPlatform.Control.Api;

/// <summary>
/// <see cref="Health"/>: <c>up</c>, <c>unhealthy (status)</c> or <c>down (reason)</c>, as its <c>/healthz</c> answered
/// at <see cref="CheckedAt"/>.
/// </summary>
public sealed record EdgeHealth(string Name, string Url, string Health, DateTimeOffset? CheckedAt = null);
