using System.Security.Cryptography;
using System.Text;

namespace CdnPlatform.OriginGateway.Drain;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;Gateway:AdminKey&gt;</c>. Hashes of both sides are compared in constant
/// time, so neither the key nor how much of it matched leaks through timing.
/// </summary>
public sealed class AdminKeyCheck(OriginGatewayOptions options)
{
    private readonly byte[]? _hash = options.AdminKey.Length == 0 ? null : Hash(options.AdminKey);

    /// <summary>False when no admin key is configured: then nothing may change the gateway.</summary>
    public bool Enabled => _hash is not null;

    public bool Accepts(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        if (_hash is null || authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Hash(authorizationHeader[scheme.Length..].Trim()), _hash);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
