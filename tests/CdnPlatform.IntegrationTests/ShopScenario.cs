using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cli.Topology;

namespace CdnPlatform.IntegrationTests;

/// <summary>The shop's journeys through the whole network, the same on every transport.</summary>
public static class ShopScenario
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// A publish on a primary node answers only once every edge applied its purge, and from then on all three
    /// edges serve the new price (they held the old page as a fresh hit before).
    /// </summary>
    public static async Task PublishReachesEveryEdgeAsync(LocalNetwork network, int productId, decimal newPrice)
    {
        foreach (var edge in network.EdgeNodes)
        {
            await SiteGetAsync(edge.Url, $"/products/{productId}");
            using var hit = await SiteGetAsync(edge.Url, $"/products/{productId}");
            Assert.StartsWith("CdnPlatform; hit", string.Join(",", hit.Headers.GetValues("Cache-Status")));
        }

        var node = network.Nodes.First(n => n.Role == "origin" && n.Name.StartsWith("primary", StringComparison.Ordinal)).Url;
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"{node}/cms/products/{productId}")
        {
            Content = new StringContent($$"""{"price": {{newPrice}}}""", Encoding.UTF8, "application/json"),
        };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", network.CmsApiKey);
        using var answer = await Client.SendAsync(publish);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("purged", body.GetProperty("purge").GetProperty("state").GetString());

        var price = $"data-product-id=\"{productId}\">€{newPrice:0.00}<";
        foreach (var edge in network.EdgeNodes)
        {
            using var page = await SiteGetAsync(edge.Url, $"/products/{productId}");
            Assert.Contains(price, await page.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Log in through one edge, add to the cart through another, read the cart through the third.</summary>
    public static async Task VisitorKeepsTheSessionAcrossEdgesAsync(LocalNetwork network)
    {
        var edges = network.EdgeNodes.Select(e => e.Url).ToList();
        string? cookie = null;

        using (var login = await SitePostAsync(edges[0], "/account/login", cookie, ("email", "anna@shop.test"), ("password", "anna-espresso")))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        }
        using (var add = await SitePostAsync(edges[1], "/cart", cookie, ("productId", "110"), ("quantity", "2")))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, edges[2] + "/cart");
        request.Headers.Host = LocalNetwork.SiteHost;
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("Cookie", cookie);
        using var cart = await Client.SendAsync(request);
        var body = JsonDocument.Parse(await cart.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("anna@shop.test", body.GetProperty("account").GetString());
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        Assert.Contains("fwd=", string.Join(",", cart.Headers.GetValues("Cache-Status")));
    }

    public static async Task<HttpResponseMessage> SiteGetAsync(string edge, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, edge + path);
        request.Headers.Host = LocalNetwork.SiteHost;
        return await Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SitePostAsync(string edge, string path, string? cookie, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, edge + path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Host = LocalNetwork.SiteHost;
        request.Headers.Accept.ParseAdd("application/json");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        return await Client.SendAsync(request);
    }
}
