using System.Security.Cryptography;
using System.Text;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>Stand-ins for what an operator exports before <c>docker compose up</c> (the README's list).</summary>
public static class ComposeSecrets
{
    public const string ApiKey = "test-api-key-from-the-environment";
    public const string GatewayKey = "test-gateway-key-from-the-environment";
    public const string CmsKey = "test-cms-key-from-the-environment";
    public const string ShopPurgeKey = "test-shop-purge-key-from-the-environment";

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["CDN_API_KEY"] = ApiKey,
        ["CDN_GATEWAY_KEY"] = GatewayKey,
        ["CMS_API_KEY"] = CmsKey,
        ["SHOP_PURGE_KEY"] = ShopPurgeKey,
        ["SHOP_PURGE_KEY_SHA256"] = Sha256(ShopPurgeKey),
    };

    /// <summary>As <c>printf %s "$KEY" | sha256sum</c> prints it.</summary>
    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static IReadOnlyDictionary<string, string> With(string name, string value) =>
        Environment.ToDictionary().Append(KeyValuePair.Create(name, value)).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    public static IReadOnlyDictionary<string, string> Without(string name) => Environment.Where(e => e.Key != name).ToDictionary();
}
