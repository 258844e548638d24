using System.Net;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// A site's origin addresses as fetches use them: its configured origin URLs in order, then its failover origin,
/// each one that names a host the edge resolves replaced by a URL per address of the answer in use
/// (<c>http://origin.shop.test:8080</c> → <c>http://127.0.22.1:8080</c>, <c>http://127.0.22.2:8080</c>), as an
/// <see cref="OriginGroup"/> for <c>OriginSelection</c> to choose from. Rebuilt when an answer changes, so a
/// request reads a ready group.
/// <para>
/// An address that leaves an answer stays at the end of the group, as a last resort, until every other name of the
/// site has answered since. A flip moves <c>origin.</c> and <c>standby.</c> in one zone serial, but the edge hears the
/// two answers one after the other: in between, both names may name the datacenter being left (<c>standby.</c> already
/// points at it, <c>origin.</c> still does), and a fetch would have nowhere else to go.
/// </para>
/// </summary>
internal sealed class SiteOrigins
{
    private readonly (string Url, WatchedName? Name, bool Failover)[] _origins;
    private readonly IReadOnlyList<WatchedName> _primaryNames;
    private volatile OriginGroup _group;
    // The group as the answers in use give it, and what left it while other names had not answered since (changed
    // only under OriginResolver's change lock, like the group).
    private OriginGroup _answered = OriginGroup.Empty;
    private IReadOnlyList<string> _leftover = [];
    private HashSet<WatchedName> _awaited = [];

    /// <param name="watch">The name an origin host is resolved under by the edge, or null when it is not.</param>
    public SiteOrigins(Site site, Func<string, WatchedName?> watch)
    {
        Site = site;
        var configured = site.Origins.Select(url => (url, Failover: false));
        if (site.FailoverOrigin is { } failover)
        {
            configured = configured.Append((failover, Failover: true));
        }
        _origins = [.. configured.Select(o => (o.url, watch(new Uri(o.url).IdnHost), o.Failover))];
        Names = [.. _origins.Select(o => o.Name).OfType<WatchedName>().Distinct()];
        _primaryNames = [.. _origins.Where(o => !o.Failover).Select(o => o.Name).OfType<WatchedName>().Distinct()];
        _group = Names.Count == 0 ? Build(_origins.Select(o => (o.Url, o.Failover))) : OriginGroup.Empty;
        Rebuild(null, []);
    }

    /// <summary>The addresses kept at the group's end after they left an answer; empty once every name answered since.</summary>
    public IReadOnlyList<string> Leftover => _leftover;

    public Site Site { get; }

    /// <summary>The names among the site's origins that the edge resolves; empty when it resolves none.</summary>
    public IReadOnlyList<WatchedName> Names { get; }

    /// <summary>The URLs to try, in order of preference; empty while no name of the site has an address.</summary>
    public IReadOnlyList<string> Current => _group.Addresses;

    /// <summary><see cref="Current"/> with where the failover origin's addresses begin.</summary>
    public OriginGroup Group => _group;

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
        var answered = Build(_origins.SelectMany(o => o.Name is null ? [(o.Url, o.Failover)]
            : (o.Name == changing ? addresses : o.Name.State.Addresses).Select(address => (OriginAddress.Url(o.Url, address), o.Failover))));
        if (changing is not null)
        {
            _awaited.Remove(changing);
            var gone = _answered.Addresses.Except(answered.Addresses, StringComparer.OrdinalIgnoreCase).ToList();
            if (gone.Count > 0 && Names.Count > 1)
            {
                _leftover = [.. _leftover.Union(gone, StringComparer.OrdinalIgnoreCase)];
                _awaited = [.. Names.Where(n => n != changing)];
            }
        }
        _answered = answered;
        Publish();
    }

    /// <summary>
    /// <paramref name="name"/> answered with the addresses it had (a change goes through <see cref="Rebuild"/>): once
    /// every name has, what left an answer before is dropped. Called under the same lock as <see cref="Rebuild"/>.
    /// </summary>
    public void Answered(WatchedName name)
    {
        if (_awaited.Remove(name) && _awaited.Count == 0)
        {
            Publish();
        }
    }

    private void Publish()
    {
        if (_awaited.Count == 0)
        {
            _leftover = [];
        }
        var answered = _answered;
        var extra = _leftover.Where(url => !answered.Addresses.Contains(url, StringComparer.OrdinalIgnoreCase)).ToList();
        // Appended after the failover origin's addresses, or as the failover part when the answers give none.
        _group = extra.Count == 0 ? answered : new OriginGroup([.. answered.Addresses, .. extra], answered.FailoverAt);
    }

    // Each address once, at its first place: one the failover origin shares with the primary is the primary's.
    private static OriginGroup Build(IEnumerable<(string Url, bool Failover)> candidates)
    {
        var urls = new List<string>();
        var failoverAt = -1;
        foreach (var (url, failover) in candidates)
        {
            if (failover && failoverAt < 0)
            {
                failoverAt = urls.Count;
            }
            if (!urls.Contains(url, StringComparer.OrdinalIgnoreCase))
            {
                urls.Add(url);
            }
        }
        return new OriginGroup(urls, failoverAt < 0 ? urls.Count : failoverAt);
    }

    /// <summary>
    /// For a request that found no address of the primary: asks for every unresolved name now and waits, at most
    /// <paramref name="patience"/> (real time, like a connect timeout), until one has addresses. While a primary name
    /// was never answered it waits for the primary, so that at start-up the first requests do not go to the standby
    /// datacenter because its name happened to be answered first.
    /// </summary>
    public async Task<OriginGroup> WaitForAddressAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var group = _group;
        if (group.FailoverAt > 0 || Names.Count == 0)
        {
            return group;
        }
        IReadOnlyList<WatchedName> primaryPending = [.. _primaryNames.Where(n => n.State.AnsweredAt is null)];
        var awaited = primaryPending.Count > 0 ? primaryPending : group.Addresses.Count == 0 ? Names : [];
        if (awaited.Count == 0)
        {
            return group;
        }
        foreach (var name in Names)
        {
            name.Wake();
        }
        try
        {
            await Task.WhenAny(awaited.Select(n => n.Usable)).WaitAsync(patience, TimeProvider.System, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Still nothing: the fetch fails as an unreachable origin would, or goes to the failover origin.
        }
        return _group;
    }
}
