namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// The CMS publishing during the load: every <see cref="Every"/> a product's price changes through
/// <c>POST /cms/products/{id}</c> (the CMS key), and the run reads that product's page at every POP until each shows
/// the new price: publish → fresh at every edge, the figure a shop cares about.
/// </summary>
/// <param name="Products">Publishes cycle through the sitemap's first this many products.</param>
public sealed record PurgeStorm(TimeSpan Every, int Products);
