namespace CdnPlatform.Origin.Pages;

/// <summary>
/// The cache policy of each kind of response, written once from the options.
/// <para>
/// Public pages send both <c>Cache-Control</c> and <c>Surrogate-Control</c>. In <c>Cache-Control</c>,
/// <c>s-maxage</c> implies <c>proxy-revalidate</c> for every shared cache (RFC 9111 §5.2.2.10), which
/// overrides <c>stale-while-revalidate</c> and <c>stale-if-error</c> (RFC 5861 §4): other shared caches
/// revalidate a stale page. The platform's edges take <c>Surrogate-Control</c> instead, where the same
/// lifetime comes without that implication, so they do serve stale while revalidating or while the origin fails.
/// </para>
/// Browsers get <c>max-age=0</c>: they revalidate every view (a 304 from the nearest edge), so a visitor never
/// sees a price older than the last publish for longer than the purge takes.
/// </summary>
public sealed class PageCachePolicy(OriginOptions options)
{
    /// <summary>How long an edge may serve a stale page while it revalidates in the background.</summary>
    public const int StaleWhileRevalidateSeconds = 60;

    /// <summary>How long an edge may serve a stale page while the origin answers 5xx: a day covers an outage.</summary>
    public const int StaleIfErrorSeconds = 86_400;

    /// <summary>Personal pages and the answers to writes: no cache may keep them.</summary>
    public const string Private = "private, no-store";

    /// <summary>A missing page: kept briefly, so a burst for it does not reach the origin each time.</summary>
    public const string NotFoundCacheControl = "public, max-age=0, s-maxage=60";

    public string PageCacheControl { get; } = Shared(options.PageSharedMaxAgeSeconds);

    public string PageSurrogateControl { get; } = Surrogate(options.PageSharedMaxAgeSeconds);

    public string SearchCacheControl { get; } = Shared(options.SearchSharedMaxAgeSeconds);

    public string SearchSurrogateControl { get; } = Surrogate(options.SearchSharedMaxAgeSeconds);

    private static string Shared(int seconds) =>
        $"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={StaleWhileRevalidateSeconds}, stale-if-error={StaleIfErrorSeconds}";

    private static string Surrogate(int seconds) =>
        $"max-age={seconds}, stale-while-revalidate={StaleWhileRevalidateSeconds}, stale-if-error={StaleIfErrorSeconds}";
}
