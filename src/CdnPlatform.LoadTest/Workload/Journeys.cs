using System.Globalization;
using System.Text.Json;
using CdnPlatform.LoadTest.Recording;

namespace CdnPlatform.LoadTest.Workload;

/// <summary>
/// Sends one request of a journey and records how it ended. An arrival (open model) or a virtual user's turn (closed
/// model) is one call, so a rate is of requests, whatever journey they belong to. <c>start</c> is the timestamp the
/// latency counts from: the intended send time in an open model, the actual one in a closed model.
/// </summary>
public sealed class Journeys(IReadOnlyList<SiteClient> pops, ShopCatalog catalog, double zipf, LoadRecorder recorder, TimeProvider time)
{
    private readonly ZipfPicker _pages = new(catalog.Pages.Count, zipf);
    private readonly ZipfPicker? _products = catalog.Products.Count == 0 ? null : new(catalog.Products.Count, zipf);

    /// <summary>An anonymous page view: a page of the sitemap, by popularity.</summary>
    public async Task BrowseAsync(int pop, long start, CancellationToken cancellationToken)
    {
        var path = catalog.Pages[_pages.Pick(Random.Shared)];
        try
        {
            var answer = await pops[pop].GetAsync(path, null, text: false, cancellationToken);
            Record(pop, start, answer, ResponseClassifier.OfStatus((System.Net.HttpStatusCode)answer.Status), "GET", path);
        }
        catch (Exception e) when (Failed(e, cancellationToken))
        {
            Record(pop, start, ResponseClassifier.OfException(e), "GET", path, e);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The run stopped this request (Ctrl+C): not an outcome.
        }
    }

    /// <summary>The shopper's next request; the shopper moves on to the step after it.</summary>
    public async Task ShopAsync(Shopper shopper, long start, CancellationToken cancellationToken)
    {
        if (_products is null)
        {
            throw new InvalidOperationException("the site's sitemap lists no product pages for shoppers to buy");
        }
        var pop = shopper.Pop;
        var client = pops[pop];
        var step = shopper.Step == JourneyStep.LogIn && shopper.LoggedIn ? JourneyStep.AddToCart : shopper.Step;
        try
        {
            switch (step)
            {
                case JourneyStep.Page:
                {
                    var path = catalog.Pages[_pages.Pick(Random.Shared)];
                    var answer = await client.GetAsync(path, shopper.CookieHeader, text: false, cancellationToken);
                    Record(pop, start, answer, ResponseClassifier.OfStatus((System.Net.HttpStatusCode)answer.Status), "GET", path);
                    shopper.Step = JourneyStep.Product;
                    break;
                }
                case JourneyStep.Product:
                {
                    shopper.Product = catalog.Products[_products.Pick(Random.Shared)];
                    var path = string.Create(CultureInfo.InvariantCulture, $"/products/{shopper.Product}");
                    var answer = await client.GetAsync(path, shopper.CookieHeader, text: false, cancellationToken);
                    Record(pop, start, answer, ResponseClassifier.OfStatus((System.Net.HttpStatusCode)answer.Status), "GET", path);
                    shopper.Step = JourneyStep.LogIn;
                    break;
                }
                case JourneyStep.LogIn:
                {
                    var answer = await client.PostFormAsync("/account/login", shopper.CookieHeader, [new("email", shopper.Email), new("password", shopper.Password)], cancellationToken);
                    shopper.Accept(answer.SetCookies);
                    shopper.LoggedIn = answer.Status == 200;
                    Record(pop, start, answer, ResponseClassifier.OfStatus((System.Net.HttpStatusCode)answer.Status), "POST", "/account/login");
                    // A refused login starts the journey over; it is counted as the error it is.
                    shopper.Step = shopper.LoggedIn ? JourneyStep.AddToCart : JourneyStep.Page;
                    break;
                }
                case JourneyStep.AddToCart:
                    await AddToCartAsync(shopper, start, cancellationToken);
                    shopper.Step = JourneyStep.ReadCart;
                    break;
                default:
                    await ReadCartAsync(shopper, start, cancellationToken);
                    shopper.Step = shopper.Recheck ? JourneyStep.ReadCart : JourneyStep.Page;
                    break;
            }
        }
        catch (Exception e) when (Failed(e, cancellationToken))
        {
            if (step == JourneyStep.AddToCart)
            {
                shopper.Cart.Unanswered(shopper.Product);
                shopper.Step = JourneyStep.ReadCart;
            }
            var (method, path) = step switch
            {
                JourneyStep.Page => ("GET", "a page"),
                JourneyStep.Product => ("GET", string.Create(CultureInfo.InvariantCulture, $"/products/{shopper.Product}")),
                JourneyStep.LogIn => ("POST", "/account/login"),
                JourneyStep.AddToCart => ("POST", "/cart"),
                _ => ("GET", "/cart"),
            };
            Record(pop, start, ResponseClassifier.OfException(e), method, path, e);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The run stopped this request (Ctrl+C): not an outcome.
        }
    }

    private async Task AddToCartAsync(Shopper shopper, long start, CancellationToken cancellationToken)
    {
        var quantity = shopper.Cart.NextQuantity(shopper.Product);
        var answer = await pops[shopper.Pop].PostFormAsync("/cart", shopper.CookieHeader,
            [new("productId", shopper.Product.ToString(CultureInfo.InvariantCulture)), new("quantity", quantity.ToString(CultureInfo.InvariantCulture))], cancellationToken);
        shopper.Accept(answer.SetCookies);
        if (answer.Status == 200)
        {
            shopper.Cart.Acknowledged(shopper.Product, quantity);
        }
        else if (answer.Status != 409)
        {
            // A refusal may still have been applied by a node that failed after writing: the line is uncertain.
            shopper.Cart.Unanswered(shopper.Product);
        }
        // 409 is the shop saying no before writing anything (out of stock): an answer a shopper gets, not an error.
        Record(shopper.Pop, start, answer, ResponseClassifier.OfStatus((System.Net.HttpStatusCode)answer.Status, status => status == 409), "POST", "/cart");
    }

    /// <summary>
    /// Reads the cart and checks it: still logged in, and every acknowledged write there. A difference is read once more on
    /// the shopper's next turn before it counts (a read at the standby may trail the primary); a lost write stays lost.
    /// </summary>
    private async Task ReadCartAsync(Shopper shopper, long start, CancellationToken cancellationToken)
    {
        var answer = await pops[shopper.Pop].GetAsync("/cart", shopper.CookieHeader, text: true, cancellationToken);
        shopper.Accept(answer.SetCookies);
        var error = ResponseClassifier.OfStatus((System.Net.HttpStatusCode)answer.Status);
        string? problem = null;
        if (error is null)
        {
            (error, problem) = CheckCart(shopper, answer.Text!);
        }
        Record(shopper.Pop, start, answer, error, "GET", "/cart", problem: problem);
    }

    private static (ErrorKind?, string?) CheckCart(Shopper shopper, string json)
    {
        string? account;
        Dictionary<int, int> lines;
        try
        {
            var cart = JsonDocument.Parse(json).RootElement;
            account = cart.GetProperty("account").GetString();
            lines = cart.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("productId").GetInt32(), i => i.GetProperty("quantity").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (ErrorKind.Check, $"the cart is not the shop's JSON: {e.Message}");
        }
        if (!string.Equals(account, shopper.Email, StringComparison.OrdinalIgnoreCase))
        {
            // The session is gone: log in again on the next journey.
            shopper.LoggedIn = false;
            shopper.Recheck = false;
            shopper.Cart.Adopt(lines);
            return (ErrorKind.Check, $"{shopper.Email} logged out (session lost)");
        }
        var differences = shopper.Cart.Differences(lines);
        if (differences.Count == 0)
        {
            shopper.Recheck = false;
            return (null, null);
        }
        if (!shopper.Recheck)
        {
            shopper.Recheck = true;
            return (null, null);
        }
        shopper.Recheck = false;
        shopper.Cart.Adopt(lines);
        return (ErrorKind.Check, $"acknowledged cart write lost for product(s) {string.Join(", ", differences)}");
    }

    private void Record(int pop, long start, in SiteAnswer answer, ErrorKind? error, string method, string path, string? problem = null)
    {
        // To the answer's last byte, not to now: the pool's and the journey's bookkeeping since is the tool's, not the visitor's.
        var latency = answer.Ended != 0 ? time.GetElapsedTime(start, answer.Ended) : time.GetElapsedTime(start);
        recorder.Record(pop, new RequestOutcome(latency, answer.Status, answer.Hit is not null, answer.Hit == true,
            answer.Hit == true ? null : ResponseClassifier.DatacenterOf(answer.ServedBy), error, answer.Bytes, answer.ServiceTime));
        recorder.Trace?.Write(recorder.Since(start), recorder.PopName(pop), method, path, answer.Status, error, latency, answer.ServiceTime);
        if (error is not null)
        {
            var status = answer.Status;
            var body = answer.Text;
            recorder.SampleError(() => $"{method} {path} via {pops[pop].Pop.Name}: {problem ?? $"{status} {Shorten(body)}"}");
        }
    }

    private void Record(int pop, long start, ErrorKind error, string method, string path, Exception e)
    {
        var latency = time.GetElapsedTime(start);
        recorder.Record(pop, new RequestOutcome(latency, 0, false, false, null, error, 0));
        recorder.Trace?.Write(recorder.Elapsed - latency, recorder.PopName(pop), method, path, 0, error, latency, TimeSpan.Zero);
        recorder.SampleError(() => $"{method} {path} via {pops[pop].Pop.Name}: {ErrorKinds.Name(error)}: {e.GetType().Name}: {e.Message}");
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 120 ? text[..120] + "…" : text;

    /// <summary>A failure to count: anything but the run itself stopping this request.</summary>
    private static bool Failed(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ResponseClassifier.IsTransportFailure(e);
}
