namespace CdnPlatform.Control.Auth;

/// <summary>What an API key may be allowed to do.</summary>
public static class ApiAction
{
    public const string Purge = "purge";
    public const string Ops = "ops";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Purge, Ops };
}
