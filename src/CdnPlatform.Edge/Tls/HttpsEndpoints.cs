using System.Collections.Frozen;
using CdnPlatform.Edge.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Edge.Tls;

/// <summary>
/// The edge's HTTPS addresses, set up at start-up: which of its <c>urls</c> are <c>https://</c>, the certificates they
/// present (read now, so a missing or mismatched file fails start-up with its key and path), and Kestrel told to speak
/// HTTP/2 (by ALPN) and HTTP/1.1 on them, choosing the certificate by the ClientHello's server name.
/// </summary>
/// <remarks>
/// Kestrel binds the <c>urls</c> itself and gives the edge each endpoint (<c>ConfigureEndpointDefaults</c>) before it
/// would set TLS up with its defaults, but not its scheme: an endpoint is known for HTTPS by its port. So every
/// <c>https://</c> address has a port of its own, never 0 and never an <c>http://</c> address's. The <c>http://</c>
/// endpoints keep Kestrel's defaults, under which a connection without TLS speaks HTTP/1.1 (HTTP/2 needs ALPN).
/// </remarks>
internal static class HttpsEndpoints
{
    /// <exception cref="OptionsValidationException">The addresses and certificates do not fit together, or a file cannot be used.</exception>
    public static void Configure(WebApplicationBuilder builder, EdgeOptions options)
    {
        var failures = new List<string>();
        var addresses = ListenAddresses.From(builder.Configuration, failures);
        var tlsKey = $"{EdgeOptions.Section}:{EdgeTlsOptions.Section}";
        failures.AddRange(Validate(addresses, options, tlsKey));
        var certificates = failures.Count == 0 && options.Tls.Enabled ? ServerCertificates.Load(options.Tls, tlsKey, failures) : null;
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(EdgeOptions.Section, typeof(EdgeOptions), failures);
        }
        builder.Services.AddSingleton(new HttpsRedirect(options.Tls.RedirectPort ?? addresses.Https.FirstOrDefault()?.Port));
        if (certificates is null)
        {
            return;
        }
        builder.Services.AddSingleton(certificates);
        if (options.Tls.ReloadCheckSeconds > 0)
        {
            builder.Services.AddHostedService<CertificateReloader>();
        }
        var httpsPorts = addresses.Https.Select(a => a.Port).ToFrozenSet();
        var handshake = new TlsHandshakeCallbackOptions { OnConnection = certificates.OnConnection };
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
        {
            if (endpoint.IPEndPoint is { } bound && httpsPorts.Contains(bound.Port))
            {
                endpoint.Protocols = HttpProtocols.Http1AndHttp2;
                // Marks the endpoint as TLS already: Kestrel's own https defaults (a development certificate) stay out.
                endpoint.UseHttps(handshake);
            }
        }));
    }

    private static IEnumerable<string> Validate(ListenAddresses addresses, EdgeOptions options, string tlsKey)
    {
        const string urls = ListenAddresses.Key;
        foreach (var https in addresses.Https)
        {
            if (https.IsUnixPipe || https.IsNamedPipe || https.Port == 0)
            {
                yield return $"{urls}: '{https}' needs a port of its own (host:port, not 0): the edge tells its HTTPS endpoints by their port";
            }
        }
        var httpsPorts = addresses.Https.Where(a => a.Port != 0).Select(a => a.Port).ToHashSet();
        foreach (var plain in addresses.Plain.Where(a => httpsPorts.Contains(a.Port)))
        {
            yield return $"{urls}: '{plain}' is on port {plain.Port}, which an https:// address has: give HTTP and HTTPS ports of their own";
        }
        if (addresses.Https.Count > 0 && !options.Tls.Enabled)
        {
            yield return $"{urls} has https:// addresses ({string.Join(", ", addresses.Https)}) but {tlsKey}:Certificates names no certificate for them";
        }
        if (addresses.Https.Count == 0 && options.Tls.Enabled)
        {
            yield return $"{tlsKey}:Certificates is set but no address in {urls} is https:// (add one, e.g. https://127.0.10.1:8443)";
        }
        for (var i = 0; i < options.Sites.Count; i++)
        {
            if (options.Sites[i].RedirectToHttps && addresses.Https.Count == 0)
            {
                yield return $"{EdgeOptions.Section}:Sites:{i}:RedirectToHttps is on but no address in {urls} is https://: its visitors would be sent nowhere";
            }
        }
    }
}
