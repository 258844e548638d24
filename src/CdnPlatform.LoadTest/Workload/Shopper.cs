using System.Globalization;
using CdnPlatform.Client;

namespace CdnPlatform.LoadTest.Workload;

/// <summary>
/// A virtual user on a shopper's journey: the POP it uses (a visitor keeps to its nearest), its own cookies, the
/// account it logs in with (the shop's demo accounts <c>visitor-001@shop.test</c> … <c>visitor-050</c>), where it is in the
/// journey, and its cart as the shop acknowledged it.
/// </summary>
public sealed class Shopper
{
    private const int DemoAccounts = 50;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public Shopper(int index, int pop)
    {
        Index = index;
        Pop = pop;
        var account = index % DemoAccounts + 1;
        Email = string.Create(CultureInfo.InvariantCulture, $"visitor-{account:000}@shop.test");
        Password = string.Create(CultureInfo.InvariantCulture, $"visitor-{account:000}-pass");
    }

    public int Index { get; }

    public int Pop { get; }

    public string Email { get; }

    public string Password { get; }

    public JourneyStep Step { get; set; } = JourneyStep.Page;

    public bool LoggedIn { get; set; }

    /// <summary>The product the journey is on (viewed, then added).</summary>
    public int Product { get; set; }

    /// <summary>The last cart read differed from the acknowledged writes: the next read decides (replication may trail by milliseconds).</summary>
    public bool Recheck { get; set; }

    public ShopperCart Cart { get; } = new();

    /// <summary>The Cookie header to send; null when the visitor has none yet.</summary>
    public string? CookieHeader => _cookies.Count == 0 ? null : string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value));

    /// <summary>Keeps the cookies an answer set (name=value; an empty value or a past expiry removes one).</summary>
    public void Accept(IReadOnlyList<string>? setCookies)
    {
        foreach (var header in setCookies ?? [])
        {
            var pair = header.Split(';', 2)[0];
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }
            var name = pair[..equals].Trim();
            var value = pair[(equals + 1)..].Trim();
            var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase);
            if (value.Length == 0 || expired)
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }
}
