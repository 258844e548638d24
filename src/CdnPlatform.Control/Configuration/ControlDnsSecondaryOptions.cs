using System.Net;
using ARSoft.Tools.Net;
using CdnPlatform.Dns.Updating;

namespace CdnPlatform.Control.Configuration;

/// <summary>
/// An external primary server (BIND, Knot, PowerDNS) that is given a site's records by RFC 2136 dynamic update,
/// signed with TSIG, bound from <c>Control:Dns:Secondaries:N</c>. The secret belongs in the environment, not in a
/// file: <c>Control__Dns__Secondaries__0__KeySecret</c>. The server needs
/// <c>allow-update { key "&lt;KeyName&gt;"; };</c> (or an <c>update-policy</c> granting the names) on the zone.
/// </summary>
public sealed record ControlDnsSecondaryOptions
{
    public const string DefaultAlgorithm = "hmac-sha256";

    /// <summary>RFC 8945 §6: a key shorter than the HMAC's output weakens it; tsig-keygen makes 32 bytes.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>The server's IP address and port, e.g. <c>192.0.2.53</c> (port 53) or <c>127.0.0.1:5353</c>.</summary>
    public string Server { get; init; } = "";

    /// <summary>The zone to update, one of <c>Control:Sites:N:Zone</c>, e.g. <c>shop.test</c>.</summary>
    public string Zone { get; init; } = "";

    /// <summary>The TSIG key's name, as the server's <c>key "…"</c> statement has it.</summary>
    public string KeyName { get; init; } = "";

    /// <summary>The key's secret in base64, as <c>tsig-keygen</c> prints it.</summary>
    public string KeySecret { get; init; } = "";

    /// <summary>One of <c>hmac-sha256</c>, <c>hmac-sha384</c>, <c>hmac-sha512</c>.</summary>
    public string Algorithm { get; init; } = DefaultAlgorithm;

    /// <summary>The server's endpoint; call only on validated options.</summary>
    public IPEndPoint Endpoint => TryParseServer(Server, out var endpoint) ? endpoint : throw new InvalidOperationException($"'{Server}' is not validated");

    /// <summary>The key; call only on validated options.</summary>
    public TsigKey Key => new(DomainName.Parse(KeyName), TsigKey.Algorithms[Algorithm], Convert.FromBase64String(KeySecret));

    /// <param name="section">Where the list was bound from, <c>Control:Dns:Secondaries</c>.</param>
    /// <param name="dnsPort"><c>Control:Dns:Port</c>: the zones are only built while the control plane serves them.</param>
    /// <param name="zones">The sites' zones, <c>Control:Sites:N:Zone</c>.</param>
    public static IEnumerable<string> Validate(string section, IReadOnlyList<ControlDnsSecondaryOptions> secondaries, int dnsPort, IEnumerable<string?> zones)
    {
        if (secondaries.Count > 0 && dnsPort == 0)
        {
            yield return $"{section} needs Control:Dns:Port: the zones pushed are the ones the control plane serves";
        }
        var known = zones.OfType<string>().Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < secondaries.Count; i++)
        {
            foreach (var failure in secondaries[i].Validate(section, i, known))
            {
                yield return failure;
            }
        }
        foreach (var duplicate in secondaries.GroupBy(s => (s.Server, Zone: Normalize(s.Zone).ToLowerInvariant())).Where(g => g.Count() > 1))
        {
            yield return $"{section}: server '{duplicate.Key.Server}' with zone '{duplicate.Key.Zone}' is listed {duplicate.Count()} times";
        }
    }

    private IEnumerable<string> Validate(string section, int index, IReadOnlySet<string> zones)
    {
        var name = $"{section}:{index}";
        if (!TryParseServer(Server, out _))
        {
            yield return $"{name}:Server: '{Server}' is not an IP address with an optional port (e.g. 192.0.2.53 or 127.0.0.1:5353)";
        }
        if (!zones.Contains(Normalize(Zone)))
        {
            yield return zones.Count == 0
                ? $"{name}:Zone: '{Zone}' is not a zone of Control:Sites (none has a Zone)"
                : $"{name}:Zone: '{Zone}' is not one of Control:Sites:N:Zone ({string.Join(", ", zones.Order())})";
        }
        if (KeyName.Length == 0 || !DomainName.TryParse(KeyName, out _))
        {
            yield return $"{name}:KeyName: '{KeyName}' is not a key name (as the server's key \"…\" statement has it)";
        }
        if (KeySecret.Length == 0)
        {
            yield return $"{name}:KeySecret is required (set it in the environment: {name.Replace(":", "__")}__KeySecret)";
        }
        else if (!TryDecode(KeySecret, out var secret) || secret.Length < MinSecretBytes)
        {
            // The value itself stays out of the message: it is a secret even when malformed.
            yield return $"{name}:KeySecret must be base64 of at least {MinSecretBytes} bytes (tsig-keygen prints one)";
        }
        if (!TsigKey.Algorithms.ContainsKey(Algorithm))
        {
            yield return $"{name}:Algorithm: '{Algorithm}' is not one of {string.Join(", ", TsigKey.Algorithms.Keys)}";
        }
    }

    private static bool TryParseServer(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        if (!IPEndPoint.TryParse(text, out endpoint) || text.Contains('/'))
        {
            endpoint = null;
            return false;
        }
        if (endpoint.Port == 0)
        {
            endpoint = new IPEndPoint(endpoint.Address, 53);
        }
        return true;
    }

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return false;
        }
        bytes = bytes[..length];
        return true;
    }

    private static string Normalize(string zone) => zone.TrimEnd('.');
}
