using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Tests;

public sealed class InMemoryShopContentTests : ShopContentContract
{
    protected override Func<IShopContent> NewDatacenter()
    {
        // Nodes of one in-process datacenter share the one instance.
        var shared = new InMemoryShopContent();
        return () => shared;
    }
}
