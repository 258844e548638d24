using System.Globalization;
using System.Text.Json;
using CdnPlatform.LoadTest.Recording;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Events;

/// <summary>
/// The CMS publishing during the load: every <see cref="PurgeStorm.Every"/> a product gets a new price through
/// <c>POST /cms/products/{id}</c> (sent through the first POP, like any visitor's POST), and that product's page is read at
/// every POP until each shows the new price. Marked as <c>publish</c> when sent and <c>purge-fresh</c> (with publish → fresh
/// at the last POP, in seconds) or <c>purge-stale</c> after 30 s. These reads are not part of the load's figures.
/// </summary>
public sealed class PurgeStormEvent(PurgeStorm storm, IReadOnlyList<SiteClient> pops, ShopCatalog catalog, string cmsKey) : ILoadEvent
{
    private static readonly TimeSpan FreshDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(LoadRecorder recorder, CancellationToken stop)
    {
        var products = catalog.Products.Take(storm.Products).ToList();
        if (products.Count == 0)
        {
            recorder.Mark("purge-error", "the sitemap lists no products to publish");
            return;
        }
        // Prices unique to this run, so a page is fresh only when it shows this publish's price.
        var cents = Random.Shared.Next(1_000, 900_000);
        var followers = new List<Task>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var product = products[i % products.Count];
            var price = (cents + i) / 100m;
            followers.Add(PublishAndFollowAsync(recorder, product, price));
            try
            {
                await Task.Delay(storm.Every, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(followers);
    }

    private async Task PublishAndFollowAsync(LoadRecorder recorder, int product, decimal price)
    {
        var text = price.ToString("0.00", CultureInfo.InvariantCulture);
        var published = recorder.Elapsed;
        string? purge;
        try
        {
            var answer = await pops[0].PostJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/cms/products/{product}"), cmsKey,
                $$"""{"price": {{text}}}""", CancellationToken.None);
            if (answer.Status is not (200 or 202))
            {
                recorder.Mark("purge-error", $"publish of product {product} answered {answer.Status}: {Shorten(answer.Text)}", at: published);
                return;
            }
            purge = PurgeSummary(answer.Text);
        }
        catch (Exception e) when (ResponseClassifier.IsTransportFailure(e))
        {
            recorder.Mark("purge-error", $"publish of product {product} got no answer: {e.Message}", at: published);
            return;
        }
        recorder.Mark("publish", $"product {product} at €{text} ({purge})", at: published);

        var page = string.Create(CultureInfo.InvariantCulture, $"/products/{product}");
        var marker = text + "</p>";
        var stale = new HashSet<int>(Enumerable.Range(0, pops.Count));
        while (stale.Count > 0 && recorder.Elapsed - published < FreshDeadline)
        {
            foreach (var pop in stale.ToList())
            {
                try
                {
                    var answer = await pops[pop].GetAsync(page, null, text: true, CancellationToken.None);
                    if (answer.Status == 200 && answer.Text!.Contains(marker, StringComparison.Ordinal))
                    {
                        stale.Remove(pop);
                    }
                }
                catch (Exception e) when (ResponseClassifier.IsTransportFailure(e))
                {
                    // A POP out of reach for a moment stays stale until the deadline.
                }
            }
            if (stale.Count > 0)
            {
                await Task.Delay(Poll);
            }
        }
        var seconds = (recorder.Elapsed - published).TotalSeconds;
        if (stale.Count == 0)
        {
            recorder.Mark("purge-fresh", $"product {product} at €{text} fresh at every POP", seconds);
        }
        else
        {
            recorder.Mark("purge-stale", $"product {product} still stale at {string.Join(", ", stale.Select(p => pops[p].Pop.Name))} after {FreshDeadline.TotalSeconds:0}s", seconds);
        }
    }

    /// <summary>The publish answer's own purge report: <c>purged in 6.1 ms</c>, <c>queued: …</c>.</summary>
    private static string PurgeSummary(string? json)
    {
        try
        {
            var purge = JsonDocument.Parse(json ?? "{}").RootElement.GetProperty("purge");
            var state = purge.GetProperty("state").GetString();
            return purge.TryGetProperty("ms", out var ms) && ms.ValueKind == JsonValueKind.Number
                ? string.Create(CultureInfo.InvariantCulture, $"{state} in {ms.GetDouble():0.0} ms by the shop")
                : $"{state}: {(purge.TryGetProperty("reason", out var reason) ? reason.GetString() : null)}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "purge state unknown";
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 160 ? text[..160] + "…" : text;
}
