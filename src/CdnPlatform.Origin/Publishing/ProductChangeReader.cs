using System.Text.Json;
using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Publishing;

/// <summary>
/// Reads a CMS publish body, <c>{"price": 12.5, "stock": 3, "name": "…", "summary": "…"}</c> (at least one),
/// and names the first field that is wrong. Unknown fields are refused, so a typo never publishes nothing silently.
/// </summary>
public static class ProductChangeReader
{
    public const int MaxNameLength = 120;
    public const int MaxSummaryLength = 1000;

    public static (ProductChange? Change, string? Field, string? Error) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, null, "the body must be a JSON object");
        }

        var change = new ProductChange();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "price":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var price) || price < 0 || price > 1_000_000
                        || decimal.Round(price, 2) != price)
                    {
                        return (null, "price", "price must be a number of euros from 0 to 1000000 with at most 2 decimals");
                    }
                    change = change with { Price = price };
                    break;
                case "stock":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var stock) || stock < 0)
                    {
                        return (null, "stock", "stock must be a whole number >= 0");
                    }
                    change = change with { Stock = stock };
                    break;
                case "name":
                    if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()) || value.GetString()!.Length > MaxNameLength)
                    {
                        return (null, "name", $"name must be a non-empty string of at most {MaxNameLength} characters");
                    }
                    change = change with { Name = value.GetString() };
                    break;
                case "summary":
                    if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > MaxSummaryLength)
                    {
                        return (null, "summary", $"summary must be a string of at most {MaxSummaryLength} characters");
                    }
                    change = change with { Summary = value.GetString() };
                    break;
                default:
                    return (null, property.Name, $"{property.Name} is not a field of a product (price, stock, name, summary)");
            }
        }

        return change == new ProductChange()
            ? (null, null, "nothing to publish: give at least one of price, stock, name, summary")
            : (change, null, null);
    }
}
