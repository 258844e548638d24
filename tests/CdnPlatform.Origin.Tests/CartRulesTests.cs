using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Shop;

namespace CdnPlatform.Origin.Tests;

public sealed class CartRulesTests
{
    private static readonly Product Grinder = new()
    {
        Id = 106, Slug = "burr-grinder", Name = "Burr grinder", Category = "grinders", Price = 189.5m, Stock = 5, Summary = "",
    };

    [Theory]
    [InlineData(0, 2, 2)]
    [InlineData(2, 3, 5)]
    [InlineData(3, 0, 0)]
    public void Add_SumsQuantitiesAndZeroRemoves(int inCart, int added, int expected)
    {
        IReadOnlyList<CartLine> lines = inCart == 0 ? [new CartLine(101, 1)] : [new CartLine(101, 1), new CartLine(Grinder.Id, inCart)];

        var (after, problem) = Cart.Add(lines, Grinder, added);

        Assert.Null(problem);
        Assert.Equal(expected, after!.FirstOrDefault(l => l.ProductId == Grinder.Id)?.Quantity ?? 0);
        Assert.Contains(new CartLine(101, 1), after!);
    }

    [Fact]
    public void Add_RefusesMoreThanTheStock()
    {
        var (after, problem) = Cart.Add([new CartLine(Grinder.Id, 4)], Grinder, 2);

        Assert.Null(after);
        Assert.Equal("quantity: only 5 of Burr grinder in stock", problem);
    }

    [Fact]
    public void Add_RefusesAnOutOfStockProduct()
    {
        var (after, problem) = Cart.Add([], Grinder with { Stock = 0 }, 1);

        Assert.Null(after);
        Assert.Equal("Burr grinder is out of stock", problem);
    }
}
