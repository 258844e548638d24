namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// How arrivals split between the two kinds of visitor, by weight: <c>browse</c> (an anonymous page view, picked by
/// Zipf from the sitemap) and <c>shop</c> (a step of a shopper's journey: a page, a product, log in once, add to the
/// cart, read the cart back and check it holds every acknowledged write).
/// </summary>
public sealed record JourneyMix(double Browse, double Shop)
{
    public static readonly JourneyMix BrowseOnly = new(1, 0);

    /// <summary>The share of arrivals that are shoppers' steps, 0–1.</summary>
    public double ShopShare => Browse + Shop == 0 ? 0 : Shop / (Browse + Shop);
}
