using System.Collections.Frozen;

namespace CdnPlatform.Edge.Configuration;

/// <summary>Finds the site a request's Host belongs to. A Host no site claims is never forwarded anywhere.</summary>
internal sealed class SiteDirectory
{
    /// <summary>A site whose Hosts list holds this answers every Host no other site claims.</summary>
    public const string AnyHost = "*";

    private readonly FrozenDictionary<string, Site> _byHost;
    private readonly FrozenDictionary<string, Site>.AlternateLookup<ReadOnlySpan<char>> _byHostSpan;
    private readonly Site? _catchAll;

    public SiteDirectory(EdgeOptions options)
    {
        var sites = options.Sites.Select((s, i) => new Site(s) { Index = i }).ToArray();
        All = sites;
        _byHost = sites
            .SelectMany(site => site.Hosts.Select(host => KeyValuePair.Create(host, site)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        ByName = sites.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        _byHostSpan = _byHost.GetAlternateLookup<ReadOnlySpan<char>>();
        _catchAll = _byHost.GetValueOrDefault(AnyHost);
    }

    public FrozenDictionary<string, Site> ByName { get; }

    /// <summary>Every site, in the order of <c>Edge:Sites</c> (<see cref="Site.Index"/>).</summary>
    public IReadOnlyList<Site> All { get; }

    /// <param name="host">The Host header's host part, without the port.</param>
    public Site? Find(string host) => _byHost.GetValueOrDefault(host) ?? _catchAll;

    /// <summary>
    /// The site of a request's Host field as it came (<c>www.shop.test:8080</c>, <c>[::1]:8080</c>): its host part is
    /// looked up where it lies, without the string <see cref="HostString.Host"/> would cut out of it for every request
    /// that names a port.
    /// </summary>
    public Site? Find(HostString host)
    {
        var value = host.Value.AsSpan();
        var end = value.StartsWith('[') ? value.IndexOf(']') + 1 : value.IndexOf(':');
        var name = end > 0 ? value[..end] : value;
        return _byHostSpan.TryGetValue(name, out var site) ? site : _catchAll;
    }
}
