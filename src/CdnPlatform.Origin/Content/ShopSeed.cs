using System.Text.Json;
using System.Text.RegularExpressions;

namespace CdnPlatform.Origin.Content;

/// <summary>
/// The content a datacenter starts with, read from <c>origin/content/</c> (<c>categories.json</c>,
/// <c>products.json</c>, <c>accounts.json</c>) and checked before anything is written.
/// </summary>
public sealed partial record ShopSeed
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public required IReadOnlyList<Category> Categories { get; init; }

    public required IReadOnlyList<Product> Products { get; init; }

    public required IReadOnlyList<Account> Accounts { get; init; }

    /// <exception cref="InvalidDataException">A file is missing or malformed; the message names the file and entry.</exception>
    public static ShopSeed Load(string directory, DateTimeOffset loadedAt)
    {
        var categories = Read<CategoryFile>(directory, "categories.json").Categories ?? [];
        var products = Read<ProductFile>(directory, "products.json").Products ?? [];
        var accounts = Read<AccountFile>(directory, "accounts.json").Accounts ?? [];
        var failures = new List<string>();

        var categorySlugs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < categories.Count; i++)
        {
            if (!IsSlug(categories[i].Slug) || !categorySlugs.Add(categories[i].Slug))
            {
                failures.Add($"categories.json: categories[{i}].slug '{categories[i].Slug}' is not a unique slug");
            }
        }

        var ids = new HashSet<int>();
        for (var i = 0; i < products.Count; i++)
        {
            var p = products[i];
            if (p.Id <= 0 || !ids.Add(p.Id))
            {
                failures.Add($"products.json: products[{i}].id {p.Id} is not a unique positive number");
            }
            if (!categorySlugs.Contains(p.Category))
            {
                failures.Add($"products.json: products[{i}].category '{p.Category}' is not in categories.json");
            }
            if (!IsSlug(p.Slug) || string.IsNullOrWhiteSpace(p.Name) || p.Price < 0 || p.Stock < 0)
            {
                failures.Add($"products.json: products[{i}] needs a slug, a name, a price >= 0 and a stock >= 0");
            }
        }

        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < accounts.Count; i++)
        {
            if (!emails.Add(accounts[i].Email) || !PasswordHash.IsWellFormed(accounts[i].PasswordHash))
            {
                failures.Add($"accounts.json: accounts[{i}] needs a unique email and a passwordHash of the form pbkdf2-sha256$iterations$salt$hash");
            }
        }

        if (failures.Count > 0)
        {
            throw new InvalidDataException($"{directory}: {string.Join("; ", failures)}");
        }

        return new ShopSeed
        {
            Categories = categories,
            Products = products.Select(p => p with { Version = 1, UpdatedAt = loadedAt }).OrderBy(p => p.Id).ToList(),
            Accounts = accounts,
        };
    }

    /// <summary>Whether <paramref name="value"/> can be a URL segment and part of a surrogate key.</summary>
    public static bool IsSlug(string? value) => value is not null && SlugPattern().IsMatch(value);

    private static T Read<T>(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();

    private sealed record CategoryFile(List<Category>? Categories);

    private sealed record ProductFile(List<Product>? Products);

    private sealed record AccountFile(List<Account>? Accounts);
}
