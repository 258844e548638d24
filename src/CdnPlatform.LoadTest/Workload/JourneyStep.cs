namespace CdnPlatform.LoadTest.Workload;

/// <summary>Where a shopper is in its journey: browse → product → log in (once) → add to cart → read the cart, and again.</summary>
public enum JourneyStep
{
    Page,
    Product,
    LogIn,
    AddToCart,
    ReadCart,
}
