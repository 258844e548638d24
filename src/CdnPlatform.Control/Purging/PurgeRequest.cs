namespace CdnPlatform.Control.Purging;

/// <summary>The body of <c>POST /v1/purge</c>.</summary>
public sealed record PurgeRequest
{
    public string? Site { get; init; }
    public List<string>? Urls { get; init; }
}
