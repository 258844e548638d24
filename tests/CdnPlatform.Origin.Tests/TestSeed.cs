using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Tests;

/// <summary>The repository's own seed content (<c>origin/content/</c>, copied next to the test binaries).</summary>
internal static class TestSeed
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "content");

    public static ShopSeed Load() => ShopSeed.Load(Directory, DateTimeOffset.Parse("2026-12-01T10:00:00Z"));

    /// <summary>Demo accounts listed in the README; the tests log in with them as visitors would.</summary>
    public const string AnnaEmail = "anna@shop.test";
    public const string AnnaPassword = "anna-espresso";

    /// <summary>Espresso machine, dual boiler: €349.00, 12 in stock, category machines.</summary>
    public const int EspressoMachine = 101;

    /// <summary>Prosumer E61 machine: out of stock.</summary>
    public const int OutOfStock = 105;
}
