using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace CdnPlatform.Origin.Shop;

/// <summary>
/// A new session id at login, for a visitor who already had a session (a cart filled before logging in). Otherwise
/// whoever planted that session's id in the visitor's browser before the login (session fixation: a link, a
/// subdomain's cookie) would share the logged-in session. ASP.NET Core session cannot change a session's id, so the
/// login empties the old session, deletes its cookie, and leaves the account and the cart in a one-time record named
/// by a cookie of its own; the visitor's next personal page, arriving without a session cookie, starts a new session
/// (a new id) and takes them in. The old id is left with an empty session.
/// </summary>
/// <remarks>
/// The record lives in the session store (the datacenter's Redis, or memory) for a minute and is read once. A handoff
/// cookie that comes with a session cookie is not taken: that session is the one the login gave up, and binding the
/// account to it again is exactly what this prevents. A visitor who logs in without a session gets a new id anyway.
/// </remarks>
public sealed partial class LoginHandoff
{
    public const string CookieName = "shop_login";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly IDistributedCache _store;
    private readonly ILogger<LoginHandoff> _logger;

    public LoginHandoff(IDistributedCache store, ILogger<LoginHandoff> logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>Whether the request came with a session (a non-empty session cookie), whose id a login must not keep.</summary>
    public static bool CameWithSession(HttpContext context) =>
        !string.IsNullOrEmpty(context.Request.Cookies[OriginHost.SessionCookieName]);

    /// <summary>Logs <paramref name="email"/> in under a session id of its own, taking the session's cart along.</summary>
    public async Task BeginAsync(HttpContext context, string email)
    {
        var session = await ShopSession.LoadAsync(context);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var record = JsonSerializer.SerializeToUtf8Bytes(new Record(email, [.. session.Cart()]));
        await _store.SetAsync(Key(token), record, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime }, context.RequestAborted);
        session.Clear();
        await ShopSession.CommitAsync(context);
        var response = context.Response;
        response.Cookies.Delete(OriginHost.SessionCookieName, CookieScope());
        var handoff = CookieScope();
        handoff.MaxAge = Lifetime;
        handoff.IsEssential = true;
        response.Cookies.Append(CookieName, token, handoff);
    }

    /// <summary>
    /// On a personal page, after the session middleware: takes a handoff the request carries into its (new) session.
    /// A handoff that is used up, expired or sent beside a session cookie is dropped, and the visitor is not logged in.
    /// </summary>
    public async Task TakeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Cookies[CookieName] is { Length: > 0 } token)
        {
            token = IsToken(token) ? token : "";
            context.Response.Cookies.Delete(CookieName, CookieScope());
            try
            {
                var key = Key(token);
                if (token.Length > 0 && await _store.GetAsync(key, context.RequestAborted) is { } bytes)
                {
                    await _store.RemoveAsync(key, context.RequestAborted);
                    if (!CameWithSession(context) && JsonSerializer.Deserialize<Record>(bytes) is { } record)
                    {
                        var session = await ShopSession.LoadAsync(context);
                        session.LogIn(record.Email);
                        session.SetCart(record.Cart);
                        await ShopSession.CommitAsync(context);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store refused (a read-only datacenter, Redis away): the visitor is not logged in, and can log in again.
                Log.TakeFailed(_logger, e);
            }
        }
        await next(context);
    }

    // Where both cookies live (a deletion must name the same path to reach the cookie it deletes).
    private static CookieOptions CookieScope() => new() { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax };

    private static string Key(string token) => $"login-handoff:{token}";

    // What BeginAsync makes (64 hex digits): anything else a visitor sends names no record, and is not looked up.
    private static bool IsToken(string token) => token.Length == 64 && token.All(char.IsAsciiHexDigitUpper);

    private sealed record Record(string Email, List<CartLine> Cart);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "A login's session handoff could not be taken; the visitor is not logged in")]
        public static partial void TakeFailed(ILogger logger, Exception exception);
    }
}
