using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.Edge.Resolving;

/// <summary>An origin URL that names a host, with one of the host's addresses in its place.</summary>
public static class OriginAddress
{
    /// <summary>
    /// Scheme, port and path stay: <c>http://origin.shop.test:8080</c> and 127.0.22.1 give <c>http://127.0.22.1:8080</c>.
    /// The visitor's Host still goes to the origin (and names the site for TLS), as it does for every origin.
    /// </summary>
    public static string Url(string url, IPAddress address)
    {
        var uri = new Uri(url);
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var path = uri.AbsolutePath == "/" ? "" : uri.AbsolutePath;
        return $"{uri.Scheme}://{host}:{uri.Port}{path}";
    }
}
