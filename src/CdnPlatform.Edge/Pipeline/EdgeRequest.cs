using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Edge.Pipeline;

/// <summary>What the receive step learned about a request, carried through lookup and fetch so nothing is parsed twice.</summary>
/// <param name="CacheControl">The request's Cache-Control as sent (before site policy).</param>
/// <param name="Directives">The request's directives after site policy; default for methods that never look up.</param>
internal readonly record struct EdgeRequest(Site Site, CacheKey Key, CacheControl CacheControl, RequestDirectives Directives);
