namespace CdnPlatform.Control.Api;

/// <summary>
/// <c>GET /v1/purges</c>: the newest purges the key may read, newest first, each as <c>GET /v1/purge/{id}</c> gives it
/// (without <c>cloudFront</c>, which that call has). <see cref="Edges"/> are the edges every purge waits for;
/// <see cref="Tracked"/> how many purges the control plane still answers for (<c>Control:PurgeHistory</c>).
/// </summary>
public sealed record PurgeList(IReadOnlyList<string> Edges, int Tracked, IReadOnlyList<PurgeStatusResponse> Purges);
