namespace CdnPlatform.Control.Api;

/// <summary><c>GET /v1/purge/{id}</c>; the schema <c>PurgeStatus</c> of docs/openapi.yaml.</summary>
public sealed record PurgeStatusResponse(
    string Id,
    string State,
    string Site,
    long Sequence,
    IReadOnlyList<string> Urls,
    IReadOnlyList<string> Prefixes,
    IReadOnlyList<string> Tags,
    bool All,
    bool Soft,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<EdgeApplication> Edges,
    double? PropagationMs,
    CloudFrontStatus? CloudFront);
