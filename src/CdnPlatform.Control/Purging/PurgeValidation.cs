namespace CdnPlatform.Control.Purging;

/// <summary>The outcome of validating a purge request: the purge to publish, or the field at fault and why.</summary>
public sealed record PurgeValidation(string? Site, IReadOnlyList<string> Urls, string? Field, string? Error)
{
    public bool IsValid => Error is null;

    public static PurgeValidation Ok(string site, IReadOnlyList<string> urls) => new(site, urls, null, null);

    public static PurgeValidation Fail(string field, string error) => new(null, [], field, error);
}
