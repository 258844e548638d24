using System.Net;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// A site's origin addresses as fetches use them: its configured origin URLs in order, each one that names a
/// host the edge resolves replaced by a URL per address of the answer in use (<c>http://origin.shop.test:8080</c>
/// → <c>http://127.0.22.1:8080</c>, <c>http://127.0.22.2:8080</c>), for <c>OriginSelection</c> to choose from.
/// Rebuilt when an answer changes, so a request reads a ready list.
/// </summary>
internal sealed class SiteOrigins
{
    private readonly (string Url, WatchedName? Name)[] _origins;
    private volatile IReadOnlyList<string> _current;

    /// <param name="watch">The name an origin host is resolved under by the edge, or null when it is not.</param>
    public SiteOrigins(Site site, Func<string, WatchedName?> watch)
    {
        Site = site;
        _origins = [.. site.Origins.Select(url => (url, watch(new Uri(url).IdnHost)))];
        Names = [.. _origins.Select(o => o.Name).OfType<WatchedName>().Distinct()];
        _current = Names.Count == 0 ? site.Origins : [];
        Rebuild(null, []);
    }

    public Site Site { get; }

    /// <summary>The names among the site's origins that the edge resolves; empty when it resolves none.</summary>
    public IReadOnlyList<WatchedName> Names { get; }

    /// <summary>The URLs to try, in order of preference; empty while no name of the site has an address.</summary>
    public IReadOnlyList<string> Current => _current;

    /// <summary>The configured origin that stands for the site in logs when no address is known.</summary>
    public string Configured => _origins[0].Url;

    /// <summary>
    /// Takes <paramref name="addresses"/> for <paramref name="changing"/> and every other name's current ones. Called
    /// under <see cref="OriginResolver"/>'s change lock, so two names changing at once cannot leave an older list.
    /// </summary>
    public void Rebuild(WatchedName? changing, IReadOnlyList<IPAddress> addresses)
    {
        if (Names.Count == 0)
        {
            return;
        }
        var urls = new List<string>();
        foreach (var (url, name) in _origins)
        {
            var candidates = name is null ? [url]
                : (name == changing ? addresses : name.State.Addresses).Select(address => OriginAddress.Url(url, address));
            urls.AddRange(candidates.Where(candidate => !urls.Contains(candidate, StringComparer.OrdinalIgnoreCase)));
        }
        _current = urls;
    }

    /// <summary>
    /// For a request that found no address: asks for every unresolved name now and waits, at most
    /// <paramref name="patience"/> (real time, like a connect timeout), until one has addresses.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForAddressAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        if (_current.Count > 0 || Names.Count == 0)
        {
            return _current;
        }
        foreach (var name in Names)
        {
            name.Wake();
        }
        try
        {
            await Task.WhenAny(Names.Select(n => n.Usable)).WaitAsync(patience, TimeProvider.System, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Still nothing: the fetch fails as an unreachable origin would.
        }
        return _current;
    }
}
