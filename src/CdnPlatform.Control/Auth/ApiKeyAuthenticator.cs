using System.Security.Cryptography;
using System.Text;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Auth;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;key&gt;</c> against the configured keys. Only SHA-256 hashes are
/// kept; the presented key's hash is compared with every configured one in constant time, so neither the
/// key nor which key matched leaks through timing.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly (byte[] Hash, ApiKeyPrincipal Principal)[] _keys;

    public ApiKeyAuthenticator(ControlOptions options)
    {
        var keys = new List<(byte[], ApiKeyPrincipal)>();
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            // The single-key shorthand (cdnctl up, small setups): every site, every action.
            keys.Add((Hash(options.ApiKey), new ApiKeyPrincipal("default", new HashSet<string> { "*" }, ApiAction.All)));
        }
        foreach (var key in options.ApiKeys)
        {
            keys.Add((Convert.FromHexString(key.Sha256),
                new ApiKeyPrincipal(key.Name, key.Sites.ToHashSet(StringComparer.Ordinal), key.Actions.ToHashSet(StringComparer.Ordinal))));
        }
        _keys = [.. keys];
    }

    /// <summary>The key's principal, or null when the header is missing, malformed or names no configured key.</summary>
    public ApiKeyPrincipal? Authenticate(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var presented = Hash(authorizationHeader[scheme.Length..].Trim());
        ApiKeyPrincipal? match = null;
        foreach (var (hash, principal) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                match = principal;
            }
        }
        return match;
    }

    public bool IsAuthorized(string? authorizationHeader) => Authenticate(authorizationHeader) is not null;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
