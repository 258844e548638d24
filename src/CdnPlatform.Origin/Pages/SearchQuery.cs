using System.Text;

namespace CdnPlatform.Origin.Pages;

/// <summary>
/// A search as the cache sees it: one normalized spelling per search (lower case, single spaces, at most 64
/// characters, no other parameters), so <c>?q=Grinder</c>, <c>?q=grinder%20</c> and <c>?q=grinder&amp;utm=x</c>
/// are one cached page, reached through a redirect to the canonical URL.
/// </summary>
public static class SearchQuery
{
    public const int MaxLength = 64;

    public static string Normalize(string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return "";
        }

        var text = new StringBuilder(Math.Min(q.Length, MaxLength));
        foreach (var word in q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var clean = new string([.. word.Where(c => !char.IsControl(c))]).ToLowerInvariant();
            if (clean.Length == 0 || text.Length + clean.Length + 1 > MaxLength)
            {
                continue;
            }
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(clean);
        }

        return text.ToString();
    }

    /// <summary>The one URL a normalized search is cached under.</summary>
    public static string CanonicalPathAndQuery(string normalized) =>
        normalized.Length == 0 ? "/search" : "/search?q=" + Uri.EscapeDataString(normalized);

    /// <summary>Whether every word of <paramref name="normalized"/> occurs in the product's name or summary.</summary>
    public static bool Matches(string normalized, Content.Product product) =>
        normalized.Split(' ').All(word =>
            product.Name.Contains(word, StringComparison.OrdinalIgnoreCase) || product.Summary.Contains(word, StringComparison.OrdinalIgnoreCase));
}
