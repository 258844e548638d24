namespace CdnPlatform.Control.Configuration;

/// <summary>
/// One API key as configured: only its SHA-256 (hex) is kept, so the config file holds no secret.
/// Make one with <c>printf %s "$KEY" | sha256sum</c>.
/// </summary>
public sealed record ApiKeyOptions
{
    public string Name { get; init; } = "";
    public string Sha256 { get; init; } = "";

    /// <summary>Sites the key may act on; <c>*</c> for all.</summary>
    public List<string> Sites { get; init; } = [];

    /// <summary><c>purge</c> (send purges, read their status) and/or <c>ops</c> (network status, failover).</summary>
    public List<string> Actions { get; init; } = [];
}
