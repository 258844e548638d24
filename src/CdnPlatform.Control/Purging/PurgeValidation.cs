namespace CdnPlatform.Control.Purging;

/// <summary>The outcome of validating a purge request: the normalized request, or the field at fault and why.</summary>
public sealed record PurgeValidation(PurgeRequest? Request, string? Field, string? Error)
{
    public bool IsValid => Error is null;

    public string? Site => Request?.Site;

    public IReadOnlyList<string> Urls => Request?.Urls ?? [];

    public static PurgeValidation Ok(PurgeRequest request) => new(request, null, null);

    public static PurgeValidation Fail(string field, string error) => new(null, field, error);
}
