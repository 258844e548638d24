using System.Collections.Frozen;

namespace CdnPlatform.Edge.Configuration;

/// <summary>Finds the site a request's Host belongs to. A Host no site claims is never forwarded anywhere.</summary>
public sealed class SiteDirectory
{
    /// <summary>A site whose Hosts list holds this answers every Host no other site claims.</summary>
    public const string AnyHost = "*";

    private readonly FrozenDictionary<string, SiteOptions> _byHost;
    private readonly SiteOptions? _catchAll;

    public SiteDirectory(EdgeOptions options)
    {
        _byHost = options.Sites
            .SelectMany(site => site.Hosts.Select(host => KeyValuePair.Create(host, site)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        ByName = options.Sites.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        _catchAll = _byHost.GetValueOrDefault(AnyHost);
    }

    public FrozenDictionary<string, SiteOptions> ByName { get; }

    /// <param name="host">The Host header's host part, without the port.</param>
    public SiteOptions? Find(string host) => _byHost.GetValueOrDefault(host) ?? _catchAll;
}
