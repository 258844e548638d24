using System.Security.Cryptography;
using System.Text;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Auth;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;key&gt;</c>. Only a SHA-256 of the configured key is kept, and the
/// comparison takes the same time whatever the presented key is, so timing reveals nothing of it.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly byte[] _keyHash;

    public ApiKeyAuthenticator(ControlOptions options)
    {
        _keyHash = Hash(options.ApiKey);
    }

    public bool IsAuthorized(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = Hash(authorizationHeader[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _keyHash);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
