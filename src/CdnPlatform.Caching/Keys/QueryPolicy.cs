using System.Text;

namespace CdnPlatform.Caching.Keys;

/// <summary>
/// A site's rule for the query part of its cache keys: parameters that never change the response
/// (<c>utm_*</c>, <c>gclid</c>) are dropped so they do not split the cache, and optionally the rest is
/// sorted so <c>?a=1&amp;b=2</c> and <c>?b=2&amp;a=1</c> share an entry.
/// </summary>
public sealed class QueryPolicy
{
    public static readonly QueryPolicy Verbatim = new([], sort: false);

    private readonly string[] _exact;
    private readonly string[] _prefixes;
    private readonly bool _sort;

    /// <param name="dropParameters">Names to drop; a trailing <c>*</c> drops every name with that prefix (<c>utm_*</c>).</param>
    public QueryPolicy(IEnumerable<string> dropParameters, bool sort)
    {
        var list = dropParameters.ToList();
        _exact = list.Where(p => !p.EndsWith('*')).ToArray();
        _prefixes = list.Where(p => p.EndsWith('*')).Select(p => p[..^1]).ToArray();
        _sort = sort;
    }

    public bool IsVerbatim => _exact.Length == 0 && _prefixes.Length == 0 && !_sort;

    /// <summary>The query to key on, with its leading <c>?</c>, or empty. Values keep their encoding.</summary>
    public string Normalize(string query)
    {
        if (IsVerbatim || query.Length <= 1)
        {
            return query;
        }
        var parameters = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !Drops(p.Split('=', 2)[0]))
            .ToList();
        if (_sort)
        {
            parameters.Sort(StringComparer.Ordinal);
        }
        if (parameters.Count == 0)
        {
            return "";
        }
        var result = new StringBuilder(query.Length).Append('?');
        return result.AppendJoin('&', parameters).ToString();
    }

    private bool Drops(string name)
    {
        foreach (var exact in _exact)
        {
            if (string.Equals(name, exact, StringComparison.Ordinal))
            {
                return true;
            }
        }
        foreach (var prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
