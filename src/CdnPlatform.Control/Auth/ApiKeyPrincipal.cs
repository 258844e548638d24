namespace CdnPlatform.Control.Auth;

/// <summary>Who called: the key's name (for the audit log and rate limit) and what it may do where.</summary>
public sealed record ApiKeyPrincipal(string Name, IReadOnlySet<string> Sites, IReadOnlySet<string> Actions)
{
    public bool May(string action, string? site = null) =>
        Actions.Contains(action) && (site is null || Sites.Contains("*") || Sites.Contains(site));
}
