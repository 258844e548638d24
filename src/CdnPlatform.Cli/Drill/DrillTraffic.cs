using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdnPlatform.Cli.Deploy;
using CdnPlatform.Client;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Cli.Drill;

/// <summary>
/// The steady load of a drill, through every edge at once: visitors reading public pages and <c>/whoami</c>,
/// logged-in shoppers adding to and reading their carts (each acknowledged write checked on the next read), and a
/// purger publishing a purge every <see cref="DrillTrafficOptions.PurgeInterval"/> and following each one until every
/// edge applied it. Each request is paced, not flat out: a drill measures what a failure costs visitors, not how
/// much a 2-core machine can serve.
/// </summary>
public sealed partial class DrillTraffic(DrillTarget target, DrillTrafficOptions options, DrillLog log) : IAsyncDisposable
{
    private const string ShopperEmail = "anna@shop.test";
    private const string ShopperPassword = "anna-espresso";

    private readonly HttpClient _site = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = options.RequestTimeout,
    };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<Shopper> _shoppers = [];
    private List<string> _pages = [];
    private List<int> _products = [];

    /// <summary>
    /// Reads the site's pages from its sitemap, warms every edge with them, and logs the shoppers in, before any
    /// figure counts: a drill that started against a network not yet serving would measure that instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">The site cannot be browsed or logged into through the edges.</exception>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        using (var sitemap = await GetAsync(target.Edges[0], "/sitemap.xml", null, cancellationToken))
        {
            var xml = await sitemap.Content.ReadAsStringAsync(cancellationToken);
            if (!sitemap.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET /sitemap.xml through {target.Edges[0]} answered {(int)sitemap.StatusCode}");
            }
            _pages = [.. SitemapLocation().Matches(xml).Select(m => new Uri(m.Groups[1].Value).PathAndQuery).Take(options.Pages)];
            _products = [.. _pages.Select(p => ProductPath().Match(p)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value))];
        }
        if (_pages.Count == 0 || _products.Count == 0)
        {
            throw new InvalidOperationException("the site's sitemap lists no product pages to browse");
        }
        foreach (var edge in target.Edges)
        {
            foreach (var page in _pages)
            {
                using var warm = await GetAsync(edge, page, null, cancellationToken);
            }
        }
        for (var i = 0; i < options.Shoppers; i++)
        {
            _shoppers.Add(await LogInAsync(target.Edges[i % target.Edges.Count], cancellationToken));
        }
    }

    public void Start()
    {
        for (var v = 0; v < options.Visitors; v++)
        {
            var visitor = v;
            _loops.Add(Task.Run(() => BrowseAsync(visitor)));
        }
        for (var s = 0; s < _shoppers.Count; s++)
        {
            var shopper = _shoppers[s];
            var offset = s;
            _loops.Add(Task.Run(() => ShopAsync(shopper, offset)));
        }
        if (options.PurgeInterval > TimeSpan.Zero)
        {
            _loops.Add(Task.Run(PurgeAsync));
            _loops.Add(Task.Run(FollowPurgesAsync));
        }
    }

    /// <summary>How many shoppers are still logged in: their cart answers with their account. One retry per shopper on an error.</summary>
    public async Task<(int Kept, int Total)> CountSessionsAsync(CancellationToken cancellationToken)
    {
        var kept = 0;
        foreach (var shopper in _shoppers)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    var cart = await ReadCartAsync(shopper, target.Edges[attempt % target.Edges.Count], cancellationToken);
                    kept += cart.Account == ShopperEmail ? 1 : 0;
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
        }
        return (kept, _shoppers.Count);
    }

    /// <summary>
    /// Waits until every purge accepted so far is applied by every edge or past <see cref="DrillTrafficOptions.PurgeDeadline"/>.
    /// </summary>
    public async Task SettlePurgesAsync(CancellationToken cancellationToken)
    {
        while (log.PendingPurges.Any())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _site.Dispose();
        _stop.Dispose();
    }

    private async Task BrowseAsync(int visitor)
    {
        for (var i = visitor; !_stop.IsCancellationRequested; i++)
        {
            var edge = target.Edges[i % target.Edges.Count];
            // One request in five is a personal one the edges pass through to the active datacenter.
            var (kind, path) = i % 5 == 4 ? (DrillKind.Uncacheable, "/whoami") : (DrillKind.Cacheable, _pages[i % _pages.Count]);
            var started = log.Now;
            try
            {
                using var response = await GetAsync(edge, path, null, _stop.Token);
                await response.Content.LoadIntoBufferAsync(_stop.Token);
                log.Record(kind, started, response.IsSuccessStatusCode ? null : $"{path} via {edge}: {await RefusalAsync(response)}");
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The drill stopped with this request in flight: not an outcome.
                return;
            }
            catch (Exception e) when (Unanswered(e))
            {
                log.Record(kind, started, $"{path} via {edge}: {e.GetType().Name}: {e.Message}");
            }
            if (!await PaceAsync())
            {
                return;
            }
        }
    }

    // The status and the start of what the refusal says (a node's or a gateway's reason), on one line: which of the
    // refusals a switch can cause it was is what the next reader of a failed drill needs first.
    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var reason = string.Join(' ', body.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return reason.Length == 0 ? $"{(int)response.StatusCode}" : $"{(int)response.StatusCode} {(reason.Length > 140 ? reason[..140] + "…" : reason)}";
    }

    private async Task ShopAsync(Shopper shopper, int offset)
    {
        for (var i = offset; !_stop.IsCancellationRequested; i++)
        {
            var edge = target.Edges[i % target.Edges.Count];
            var productId = _products[i % Math.Min(_products.Count, 4)];
            var quantity = shopper.Cart.NextQuantity(productId);
            var started = log.Now;
            try
            {
                using var response = await PostAsync(edge, "/cart", shopper.Cookie, _stop.Token,
                    ("productId", productId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("quantity", quantity == 0 ? "0" : "1"));
                await response.Content.LoadIntoBufferAsync(_stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    shopper.Cart.Acknowledged(productId, quantity);
                    shopper.LastWrite[productId] = started;
                    log.Record(DrillKind.Write, started, null);
                }
                else
                {
                    // A refusal with a status may still have been applied by a node that failed after writing.
                    shopper.Cart.Unanswered(productId);
                    log.Record(DrillKind.Write, started, $"POST /cart via {edge}: {await RefusalAsync(response)}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The drill stopped with this request in flight: not an outcome.
                return;
            }
            catch (Exception e) when (Unanswered(e))
            {
                shopper.Cart.Unanswered(productId);
                log.Record(DrillKind.Write, started, $"POST /cart via {edge}: {e.GetType().Name}: {e.Message}");
            }
            if (!await PaceAsync())
            {
                return;
            }
            await CheckCartAsync(shopper, target.Edges[(i + 1) % target.Edges.Count]);
            if (!await PaceAsync())
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads the cart and compares it with the acknowledged writes. A difference is read once more a second later
    /// before it counts as lost: a read at the standby datacenter may trail the primary by a few milliseconds of
    /// replication, a lost write stays lost.
    /// </summary>
    private async Task CheckCartAsync(Shopper shopper, string edge)
    {
        var started = log.Now;
        try
        {
            var cart = await ReadCartAsync(shopper, edge, _stop.Token);
            log.Record(DrillKind.Uncacheable, started, cart.Account == ShopperEmail ? null : $"GET /cart via {edge}: logged out (session lost)");
            var differences = shopper.Cart.Differences(cart.Lines);
            if (differences.Count > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                cart = await ReadCartAsync(shopper, edge, _stop.Token);
                foreach (var productId in shopper.Cart.Differences(cart.Lines))
                {
                    log.WriteLost(shopper.LastWrite.GetValueOrDefault(productId, started));
                }
                shopper.Cart.Adopt(cart.Lines);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (Unanswered(e) || e is JsonException or InvalidOperationException)
        {
            log.Record(DrillKind.Uncacheable, started, $"GET /cart via {edge}: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task PurgeAsync()
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var url = $"http://{target.SiteHost}/products/{_products[i % _products.Count]}";
            var started = log.Now;
            try
            {
                using var response = await target.Control.PostAsJsonAsync("/v1/purge", new { site = target.SiteName, urls = new[] { url } }, _stop.Token);
                if (response.StatusCode == HttpStatusCode.Accepted
                    && await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.PurgeAccepted, _stop.Token) is { } accepted)
                {
                    log.PurgeAccepted(accepted.Id, started);
                    log.Record(DrillKind.Purge, started, null);
                }
                else
                {
                    log.Record(DrillKind.Purge, started, $"purge of {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_stop.Token)}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The drill stopped with this request in flight: not an outcome.
                return;
            }
            catch (Exception e) when (Unanswered(e))
            {
                log.Record(DrillKind.Purge, started, $"purge of {url}: {e.GetType().Name}: {e.Message}");
            }
            try
            {
                await Task.Delay(options.PurgeInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Asks the control plane about every pending purge until every edge applied it, or gives up at the deadline.</summary>
    private async Task FollowPurgesAsync()
    {
        // Keeps following after the load stops (until disposal), so purges sent in the last seconds settle too.
        while (true)
        {
            foreach (var purge in log.PendingPurges.ToList())
            {
                try
                {
                    var status = await ControlApiCalls.SendAsync(target.Control, new HttpRequestMessage(HttpMethod.Get, $"/v1/purge/{purge.Id}"),
                        ControlJsonContext.Default.PurgeStatusResponse, CancellationToken.None);
                    if (status.State == "done")
                    {
                        purge.Done = true;
                        continue;
                    }
                }
                catch (Exception e) when (e is ControlApiException || Unanswered(e))
                {
                    // The control plane may be restarting or out of reach for a moment; the deadline decides.
                }
                if (log.Now - purge.AcceptedAt > options.PurgeDeadline)
                {
                    purge.Done = false;
                }
            }
            if (_stop.IsCancellationRequested && !log.PendingPurges.Any())
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    private async Task<bool> PaceAsync()
    {
        try
        {
            await Task.Delay(options.Pace, _stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<Shopper> LogInAsync(string edge, CancellationToken cancellationToken)
    {
        using var login = await PostAsync(edge, "/account/login", null, cancellationToken, ("email", ShopperEmail), ("password", ShopperPassword));
        if (login.StatusCode != HttpStatusCode.OK || !login.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            throw new InvalidOperationException($"logging in as {ShopperEmail} through {edge} answered {(int)login.StatusCode}");
        }
        return new Shopper(cookies.First().Split(';')[0]);
    }

    private async Task<(string? Account, IReadOnlyDictionary<int, int> Lines)> ReadCartAsync(Shopper shopper, string edge, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(edge, "/cart", shopper.Cookie, cancellationToken, json: true);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}");
        }
        var cart = JsonDocument.Parse(body).RootElement;
        var lines = cart.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("productId").GetInt32(), i => i.GetProperty("quantity").GetInt32());
        return (cart.GetProperty("account").GetString(), lines);
    }

    private Task<HttpResponseMessage> GetAsync(string edge, string path, string? cookie, CancellationToken cancellationToken, bool json = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, edge + path);
        return SendAsync(request, cookie, json, cancellationToken);
    }

    private Task<HttpResponseMessage> PostAsync(string edge, string path, string? cookie, CancellationToken cancellationToken, params (string Name, string Value)[] form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, edge + path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        return SendAsync(request, cookie, json: true, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? cookie, bool json, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Host = target.SiteHost;
            if (json)
            {
                request.Headers.Accept.ParseAdd("application/json");
            }
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }
            return await _site.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A request that got no answer: refused, reset, timed out. Not the drill's own stop.</summary>
    private bool Unanswered(Exception e) =>
        !_stop.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or IOException;

    [GeneratedRegex("<loc>([^<]+)</loc>")]
    private static partial Regex SitemapLocation();

    [GeneratedRegex("^/products/([0-9]+)$")]
    private static partial Regex ProductPath();

    /// <summary>A logged-in visitor: its session cookie, its cart as acknowledged, and when each line was last written.</summary>
    private sealed class Shopper(string cookie)
    {
        public string Cookie { get; } = cookie;

        public ShopperCart Cart { get; } = new();

        public Dictionary<int, TimeSpan> LastWrite { get; } = [];
    }
}
