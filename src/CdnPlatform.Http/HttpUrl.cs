namespace CdnPlatform.Http;

/// <summary>The one check for "an absolute http:// or https:// URL", used by configs, purges and keys alike.</summary>
public static class HttpUrl
{
    public static bool TryParse(string? value, out Uri url)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var parsed) && IsHttp(parsed))
        {
            url = parsed;
            return true;
        }
        url = null!;
        return false;
    }

    public static bool IsHttp(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
