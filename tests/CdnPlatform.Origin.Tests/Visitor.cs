using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// A visitor with a session cookie, walking the journey the load tool uses (login, add to cart, read the
/// cart) against whichever node it is sent to, as a load balancer would move it.
/// </summary>
internal sealed class Visitor
{
    // Every cookie the shop set, as a browser keeps them: a Set-Cookie that expires one removes it.
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    /// <summary>The session cookie (<c>name=value</c>), or null before the shop set one.</summary>
    public string? SessionCookie => Cookie(OriginHost.SessionCookieName);

    /// <summary>A cookie the visitor holds (<c>name=value</c>), or null.</summary>
    public string? Cookie(string name) => _cookies.TryGetValue(name, out var value) ? $"{name}={value}" : null;

    /// <summary>Sets or replaces a cookie by hand, as an attacker who planted it would.</summary>
    public void Plant(string cookie)
    {
        var equals = cookie.IndexOf('=');
        _cookies[cookie[..equals]] = cookie[(equals + 1)..];
    }

    public async Task<HttpResponseMessage> PostFormAsync(HttpClient node, string path, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        return await SendAsync(node, request);
    }

    public async Task<HttpResponseMessage> GetAsync(HttpClient node, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(node, request);
    }

    public async Task LogInAsync(HttpClient node, string email, string password)
    {
        using var response = await PostFormAsync(node, "/account/login", ("email", email), ("password", password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task AddToCartAsync(HttpClient node, int productId, int quantity)
    {
        using var response = await PostFormAsync(node, "/cart", ("productId", productId.ToString()), ("quantity", quantity.ToString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<JsonElement> CartAsync(HttpClient node)
    {
        using var response = await GetAsync(node, "/cart");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient node, HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await node.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [])
        {
            var pair = header.Split(';')[0];
            var equals = pair.IndexOf('=');
            var (name, value) = (pair[..equals], pair[(equals + 1)..]);
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
        return response;
    }
}
