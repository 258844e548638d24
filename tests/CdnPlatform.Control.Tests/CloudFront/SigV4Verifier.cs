using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>
/// Checks an AWS Signature Version 4 <c>Authorization</c> header the way the service does, written from the
/// specification (canonical request, string to sign, kDate/kRegion/kService/kSigning) with no AWS SDK code, so the
/// client's signing is judged by an independent implementation. Proven against AWS's published test vectors.
/// </summary>
public sealed partial class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>AWS refuses a request signed more than 15 minutes away from its own clock.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    private readonly string _region;
    private readonly string _service;
    private readonly IReadOnlyDictionary<string, string> _secrets;
    private readonly TimeProvider? _clock;

    /// <param name="secrets">Secret access key by access key ID: the credentials the "service" knows.</param>
    /// <param name="clock">The service's clock for the skew check; null skips it (for fixed test vectors).</param>
    public SigV4Verifier(string region, string service, IReadOnlyDictionary<string, string> secrets, TimeProvider? clock)
    {
        _region = region;
        _service = service;
        _secrets = secrets;
        _clock = clock;
    }

    /// <param name="rawTarget">The request target exactly as received on the wire (path and query, still encoded).</param>
    /// <param name="headers">Every request header, names case-insensitive, repeated values joined by commas.</param>
    /// <returns>Null when the signature verifies, else why not.</returns>
    public string? Verify(string method, string rawTarget, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        if (!headers.TryGetValue("authorization", out var authorization))
        {
            return "no Authorization header";
        }
        var parsed = AuthorizationPattern().Match(authorization);
        if (!parsed.Success)
        {
            return $"Authorization is not '{Algorithm} Credential=…, SignedHeaders=…, Signature=<64 hex>': {authorization}";
        }
        var credential = parsed.Groups["credential"].Value.Split('/');
        if (credential.Length != 5)
        {
            return $"Credential is not <key>/<date>/<region>/<service>/aws4_request: {parsed.Groups["credential"].Value}";
        }
        var (accessKeyId, date, region, service, terminator) = (credential[0], credential[1], credential[2], credential[3], credential[4]);
        if (region != _region || service != _service || terminator != "aws4_request")
        {
            return $"scope {date}/{region}/{service}/{terminator} is not for {_region}/{_service}/aws4_request";
        }
        if (!_secrets.TryGetValue(accessKeyId, out var secret))
        {
            return $"unknown access key {accessKeyId}";
        }

        if (!headers.TryGetValue("x-amz-date", out var amzDate)
            || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return "x-amz-date is missing or not yyyyMMddTHHmmssZ";
        }
        if (!amzDate.StartsWith(date, StringComparison.Ordinal) || date.Length != 8)
        {
            return $"credential date {date} is not the date of x-amz-date {amzDate}";
        }
        if (_clock is not null && (signedAt - _clock.GetUtcNow()).Duration() > MaxSkew)
        {
            return $"signed at {amzDate}, more than {MaxSkew.TotalMinutes} minutes from the service's clock";
        }

        var signedNames = parsed.Groups["signed"].Value.Split(';');
        if (!signedNames.SequenceEqual(signedNames.Order(StringComparer.Ordinal).Distinct()) || signedNames.Any(n => n != n.ToLowerInvariant()))
        {
            return $"SignedHeaders is not lowercase, sorted and unique: {parsed.Groups["signed"].Value}";
        }
        foreach (var required in new[] { "host", "x-amz-date" })
        {
            if (!signedNames.Contains(required))
            {
                return $"{required} is not signed";
            }
        }
        if (signedNames.FirstOrDefault(n => !headers.ContainsKey(n)) is { } absent)
        {
            return $"signed header {absent} is not in the request";
        }
        // An x-amz-* header left out of the signature (a session token, say) could be swapped in transit.
        if (headers.Keys.FirstOrDefault(n => n.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) && !signedNames.Contains(n.ToLowerInvariant())) is { } unsigned)
        {
            return $"{unsigned} is sent but not signed";
        }

        var payloadHash = Hex(SHA256.HashData(body));
        if (headers.TryGetValue("x-amz-content-sha256", out var claimed) && claimed != payloadHash)
        {
            return $"x-amz-content-sha256 {claimed} is not the SHA-256 of the body ({payloadHash})";
        }

        var query = rawTarget.IndexOf('?');
        var canonical = CanonicalRequest(
            method,
            query < 0 ? rawTarget : rawTarget[..query],
            query < 0 ? "" : rawTarget[(query + 1)..],
            signedNames.Select(n => (n, headers[n])).ToList(),
            payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var expected = Signature(SigningKey(secret, date, region, service), StringToSign(amzDate, scope, canonical));
        var given = parsed.Groups["signature"].Value;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given))
            ? null
            : $"signature {given} does not match; canonical request was:\n{canonical}";
    }

    /// <summary>
    /// Method, canonical URI, canonical query, canonical headers, signed header names and payload hash, one per line.
    /// </summary>
    /// <param name="rawPath">As received. Each segment is URI-encoded once more, so a wire escape like <c>%2F</c> is
    /// signed as <c>%252F</c>: the "encode twice" rule for every service but S3.</param>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, IReadOnlyList<(string Name, string Value)> signedHeaders, string payloadHash)
    {
        var uri = rawPath.Length == 0 ? "/" : string.Join('/', rawPath.Split('/').Select(UriEncode));
        var query = string.Join('&', rawQuery
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => (Name: UriEncode(Uri.UnescapeDataString(kv[0])), Value: UriEncode(Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : ""))))
            .OrderBy(kv => kv.Name, StringComparer.Ordinal).ThenBy(kv => kv.Value, StringComparer.Ordinal)
            .Select(kv => $"{kv.Name}={kv.Value}"));
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => $"{h.Name.ToLowerInvariant()}:{Spaces().Replace(h.Value.Trim(), " ")}\n"));
        var names = string.Join(';', signedHeaders.Select(h => h.Name.ToLowerInvariant()));
        return $"{method}\n{uri}\n{query}\n{canonicalHeaders}\n{names}\n{payloadHash}";
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8);
    }

    public static string Signature(byte[] signingKey, string stringToSign) => Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>RFC 3986 encoding as SigV4 defines it: everything but A–Z a–z 0–9 - _ . ~ as %XY, uppercase hex, over UTF-8.</summary>
    public static string UriEncode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<credential>[^,\s]+),\s*SignedHeaders=(?<signed>[A-Za-z0-9;\-]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
