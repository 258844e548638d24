using System.Text.Json;

namespace CdnPlatform.Origin.Shop;

/// <summary>
/// What the shop keeps in a visitor's session (ASP.NET Core session: the datacenter's Redis, or memory):
/// the logged-in account's email and the cart. Any node reads it, because the session cookie is protected
/// with the Data Protection key ring every node shares.
/// </summary>
public static class ShopSession
{
    private const string AccountKey = "account";
    private const string CartKey = "cart";

    /// <summary>The paths that have a session: the cart and the account pages.</summary>
    public static bool IsPersonalPath(PathString path) =>
        path.StartsWithSegments("/cart", StringComparison.Ordinal) || path.StartsWithSegments("/account", StringComparison.Ordinal);

    /// <summary>
    /// Stores the session now, before the answer is written: the session middleware would store it only after
    /// the response has gone, and a visitor's next click could overtake it and read the cart as it was.
    /// </summary>
    public static Task CommitAsync(HttpContext context) => context.Session.CommitAsync(context.RequestAborted);

    /// <summary>Loads the session asynchronously, so reading it never blocks a thread on Redis.</summary>
    public static async Task<ISession> LoadAsync(HttpContext context)
    {
        await context.Session.LoadAsync(context.RequestAborted);
        return context.Session;
    }

    public static string? Account(this ISession session) => session.GetString(AccountKey);

    public static void LogIn(this ISession session, string email) => session.SetString(AccountKey, email);

    public static IReadOnlyList<CartLine> Cart(this ISession session) =>
        session.Get(CartKey) is { } bytes ? JsonSerializer.Deserialize<List<CartLine>>(bytes) ?? [] : [];

    public static void SetCart(this ISession session, IReadOnlyList<CartLine> lines)
    {
        if (lines.Count == 0)
        {
            session.Remove(CartKey);
            return;
        }
        session.Set(CartKey, JsonSerializer.SerializeToUtf8Bytes(lines));
    }
}
