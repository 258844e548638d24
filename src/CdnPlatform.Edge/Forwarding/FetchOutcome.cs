using CdnPlatform.Caching.Storage;
using CdnPlatform.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>What one trip to the origin brought back. The fetch stores nothing; the pipeline does, from this.</summary>
/// <param name="Entry">
/// <see cref="FetchResult.Forwarded"/>: the response with its body, when it may be stored (else null).
/// <see cref="FetchResult.Validated"/>: the freshened copy of the stored entry. <see cref="FetchResult.Stale"/>: the stored entry.
/// </param>
/// <param name="Status">The Cache-Status member for delivering <paramref name="Entry"/> from the store (Validated, Stale).</param>
/// <param name="OriginStatus">The origin's status code; null when it could not be reached.</param>
internal readonly record struct FetchOutcome(FetchResult Result, CacheEntry? Entry, CacheStatus Status, int? OriginStatus, ForwarderError Error);
