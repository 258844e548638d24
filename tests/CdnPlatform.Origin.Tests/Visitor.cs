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
    public string? SessionCookie { get; private set; }

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
        if (SessionCookie is not null)
        {
            request.Headers.Add("Cookie", SessionCookie);
        }
        var response = await node.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.FirstOrDefault(c => c.StartsWith(OriginHost.SessionCookieName + "=", StringComparison.Ordinal)) is { } cookie)
        {
            SessionCookie = cookie.Split(';')[0];
        }
        return response;
    }
}
