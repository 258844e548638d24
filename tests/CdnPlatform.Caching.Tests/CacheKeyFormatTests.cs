using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Caching.Tests;

/// <summary>
/// A key written as characters (<see cref="CacheKey.Format"/>, the hit path's) is the key <see cref="CacheKey.Create"/>
/// makes, character for character, and finds what the key finds.
/// </summary>
public sealed class CacheKeyFormatTests
{
    public static TheoryData<string, string, string, string, string, string> Parts => new()
    {
        // scheme, host, path base, path, query, the key expected
        { "http", "www.shop.test", "", "/products/42", "", "http://www.shop.test/products/42" },
        { "HTTPS", "WWW.Shop.TEST:443", "", "/A/b", "", "https://www.shop.test/A/b" },
        { "https", "www.shop.test:80", "", "/x", "", "https://www.shop.test:80/x" },
        { "http", "www.shop.test:80", "", "/x", "", "http://www.shop.test/x" },
        { "http", "www.shop.test:8080", "", "/x", "", "http://www.shop.test:8080/x" },
        { "http", "www.shop.test", "", "", "", "http://www.shop.test/" },
        { "http", "www.shop.test", "/base", "/x", "?a=1", "http://www.shop.test/base/x?a=1" },
        { "http", "www.shop.test", "", "", "?a=1", "http://www.shop.test?a=1" },
        { "http", "xn--caf-dma.test", "", "/caf%C3%A9", "", "http://xn--caf-dma.test/caf%C3%A9" },
        { "http", "", "", "/x", "", "http:///x" },
    };

    [Theory]
    [MemberData(nameof(Parts))]
    public void The_characters_are_the_key_Create_makes(string scheme, string host, string pathBase, string path, string query, string expected)
    {
        Span<char> chars = stackalloc char[256];

        var written = CacheKey.Format(chars, scheme, host, pathBase, path, query);

        Assert.Equal(expected, new string(chars[..written]));
        Assert.Equal(expected, CacheKey.Create(scheme, host, pathBase + path + query).Value);
    }

    [Fact]
    public void A_key_too_long_for_the_space_is_not_written()
    {
        var path = "/" + new string('p', 300);
        Span<char> chars = stackalloc char[256];

        Assert.Equal(-1, CacheKey.Format(chars, "http", "www.shop.test", "", path, ""));
        Assert.Equal("http://www.shop.test" + path, CacheKey.Create("http", "www.shop.test", path).Value);
    }

    [Fact]
    public void The_store_finds_by_characters_what_it_finds_by_key_and_a_pending_ban_still_applies()
    {
        var clock = new FakeTimeProvider();
        var entries = new TestEntries(clock);
        var store = new MemoryCacheStore(1_000_000, clock);
        var page = entries.Make("http://www.shop.test/products/42");
        var other = entries.Make("http://www.shop.test/products/43");
        store.Store(page);
        store.Store(other);

        Assert.Same(page, store.Find("http://www.shop.test/products/42".AsSpan(), 0, static (_, _) => true));
        Assert.Null(store.Find("http://www.shop.test/products/4".AsSpan(), 0, static (_, _) => true));
        Assert.Null(store.Find("HTTP://www.shop.test/products/42".AsSpan(), 0, static (_, _) => true));

        store.Ban("http://www.shop.test/products/42", soft: false);
        Assert.Null(store.Find("http://www.shop.test/products/42".AsSpan(), 0, static (_, _) => true));
        Assert.Same(other, store.Find("http://www.shop.test/products/43".AsSpan(), 0, static (_, _) => true));
    }
}
