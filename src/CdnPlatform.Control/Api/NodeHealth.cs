namespace CdnPlatform.Control.Api;

/// <summary><c>GET /healthz</c>.</summary>
public sealed record NodeHealth(string Status, string Role);
