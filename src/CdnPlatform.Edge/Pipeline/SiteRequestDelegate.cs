using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Pipeline;

/// <summary>
/// The edge's request path as the recorder around it calls it: it also says which site the request was for (null: a
/// Host no site claims), so the site is looked up once per request, not again to count it.
/// </summary>
internal delegate Task SiteRequestDelegate(HttpContext context, out Site? site);
