using System.Diagnostics.CodeAnalysis;
using System.Text;
using CdnPlatform.Origin.Responses;

namespace CdnPlatform.Origin.Assets;

/// <summary>
/// The site's static assets, embedded as strings. Each response is built once at start-up, so serving an
/// asset allocates nothing per request.
/// </summary>
public sealed class SiteAssets
{
    private const string SiteCss = """
        body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem; color: #222; }
        header { display: flex; align-items: center; gap: 1rem; border-bottom: 1px solid #ddd; }
        .products li { margin: 0.25rem 0; }
        .price { font-weight: bold; }
        .rendered { margin-top: 2rem; font-size: 0.8rem; color: #777; }
        """;

    private const string AppJs = """
        // Shows in the console which node rendered the page, read from the footer.
        document.addEventListener("DOMContentLoaded", () => {
          const footer = document.querySelector(".rendered");
          if (footer) console.info(footer.textContent);
        });
        """;

    private const string LogoSvg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">
          <circle cx="24" cy="24" r="22" fill="#6f4e37"/>
          <ellipse cx="24" cy="24" rx="9" ry="14" fill="#c8a27a" transform="rotate(30 24 24)"/>
        </svg>
        """;

    private readonly Dictionary<string, ShopResponse> _byFileName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _urlByName = new(StringComparer.Ordinal);

    public SiteAssets(OriginOptions options)
    {
        // The URL names the content's hash, so it changes when the content does and caches may keep it forever.
        var cacheControl = $"public, max-age={options.AssetSharedMaxAgeSeconds}, immutable";
        Add("site.css", "text/css; charset=utf-8", SiteCss, cacheControl);
        Add("app.js", "text/javascript; charset=utf-8", AppJs, cacheControl);
        Add("logo.svg", "image/svg+xml", LogoSvg, cacheControl);
    }

    /// <summary>The fingerprinted URL of <paramref name="name"/>, e.g. <c>/assets/site.1a2b3c4d5e.css</c>.</summary>
    public string UrlOf(string name) => _urlByName[name];

    /// <param name="fileName">The fingerprinted name; an old fingerprint is unknown, as on a real deploy.</param>
    public bool TryGet(string fileName, [NotNullWhen(true)] out ShopResponse? response) =>
        _byFileName.TryGetValue(fileName, out response);

    private void Add(string name, string contentType, string content, string cacheControl)
    {
        var body = Encoding.UTF8.GetBytes(content + "\n");
        var etag = ShopResponse.StrongETagOf(body);
        var fingerprint = etag.Tag.Value![1..11];
        var fileName = $"{Path.GetFileNameWithoutExtension(name)}.{fingerprint}{Path.GetExtension(name)}";
        _urlByName[name] = "/assets/" + fileName;
        _byFileName[fileName] = new ShopResponse
        {
            ContentType = contentType,
            Body = body,
            CacheControl = cacheControl,
            Tags = ["asset"],
            ETag = etag,
        };
    }
}
