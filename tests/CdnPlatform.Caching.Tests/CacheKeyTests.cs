using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Tests;

/// <summary>The primary cache key (RFC 9111 §2) and its URI normalization (RFC 9110 §4.2.3).</summary>
public sealed class CacheKeyTests
{
    [Fact]
    public void Create_SchemeAndHost_AreLowercased()
    {
        Assert.Equal("https://www.example.com/a", CacheKey.Create("HTTPS", "WWW.Example.COM", "/a").Value);
    }

    [Fact]
    public void Create_PathAndQuery_KeepTheirCase()
    {
        Assert.Equal("http://example.com/Shop/Item?Color=Red&q=A%2Fb", CacheKey.Create("http", "example.com", "/Shop/Item?Color=Red&q=A%2Fb").Value);
    }

    [Fact]
    public void Create_PathsDifferingOnlyInCase_AreDifferentKeys()
    {
        Assert.NotEqual(CacheKey.Create("http", "example.com", "/a"), CacheKey.Create("http", "example.com", "/A"));
    }

    [Fact]
    public void Create_QueriesDiffering_AreDifferentKeys()
    {
        Assert.NotEqual(CacheKey.Create("http", "example.com", "/a?x=1"), CacheKey.Create("http", "example.com", "/a?x=2"));
    }

    [Theory]
    [InlineData("http", "example.com:80", "http://example.com/")]
    [InlineData("https", "example.com:443", "https://example.com/")]
    [InlineData("HTTP", "Example.com:80", "http://example.com/")]
    [InlineData("http", "[::1]:80", "http://[::1]/")]
    public void Create_DefaultPortOfTheScheme_IsDropped(string scheme, string host, string expected)
    {
        Assert.Equal(expected, CacheKey.Create(scheme, host, "/").Value);
    }

    [Theory]
    [InlineData("http", "example.com:8080", "http://example.com:8080/")]
    [InlineData("https", "example.com:8443", "https://example.com:8443/")]
    [InlineData("http", "example.com:443", "http://example.com:443/")]
    [InlineData("https", "example.com:80", "https://example.com:80/")]
    [InlineData("http", "example.com:1080", "http://example.com:1080/")]
    [InlineData("https", "example.com:1443", "https://example.com:1443/")]
    public void Create_NonDefaultPort_IsKept(string scheme, string host, string expected)
    {
        Assert.Equal(expected, CacheKey.Create(scheme, host, "/").Value);
    }

    [Fact]
    public void Create_EmptyPath_BecomesSlash()
    {
        Assert.Equal("http://example.com/", CacheKey.Create("http", "example.com", "").Value);
        Assert.Equal(CacheKey.Create("http", "example.com", "/"), CacheKey.Create("http", "example.com", ""));
    }

    [Fact]
    public void Create_EquivalentSpellings_ShareOneKey()
    {
        Assert.Equal(CacheKey.Create("http", "example.com", "/x?y"), CacheKey.Create("HTTP", "EXAMPLE.com:80", "/x?y"));
    }

    [Fact]
    public void ToString_IsTheValue()
    {
        var key = CacheKey.Create("http", "example.com", "/x");

        Assert.Equal(key.Value, key.ToString());
    }

    [Fact]
    public void WithOtherScheme_Http_BecomesHttps()
    {
        Assert.Equal("https://example.com/a?b", CacheKey.Create("http", "example.com", "/a?b").WithOtherScheme().Value);
    }

    [Fact]
    public void WithOtherScheme_Https_BecomesHttp()
    {
        Assert.Equal("http://example.com/a?b", CacheKey.Create("https", "example.com", "/a?b").WithOtherScheme().Value);
    }

    [Fact]
    public void WithOtherScheme_Twice_IsTheOriginalKey()
    {
        var key = CacheKey.Create("https", "example.com:8443", "/p");

        Assert.Equal(key, key.WithOtherScheme().WithOtherScheme());
    }

    [Fact]
    public void WithOtherScheme_NonDefaultPort_IsKept()
    {
        Assert.Equal("https://example.com:8080/p", CacheKey.Create("http", "example.com:8080", "/p").WithOtherScheme().Value);
    }

    [Theory]
    [InlineData("http", "example.com:443")]
    [InlineData("https", "example.com:80")]
    public void WithOtherScheme_PortThatIsTheOtherSchemesDefault_GivesNormalizedKey(string scheme, string host)
    {
        // http://example.com:443/p ⇄ https://example.com:443/p, whose normalized key is https://example.com/p.
        // The un-normalized "https://example.com:443/p" matches no stored entry, so a purge misses it.
        var key = CacheKey.Create(scheme, host, "/p");
        var otherScheme = scheme == "http" ? "https" : "http";

        Assert.Equal(CacheKey.Create(otherScheme, host, "/p"), key.WithOtherScheme());
    }

    [Fact]
    public void FromUrl_EqualsCreateOfItsParts()
    {
        Assert.Equal(CacheKey.Create("https", "example.com", "/a/b?c=d"), CacheKey.FromUrl(new Uri("https://example.com/a/b?c=d")));
    }

    [Theory]
    [InlineData("HTTP://Example.COM:80/A?B", "http://example.com/A?B")]
    [InlineData("https://example.com:443/x", "https://example.com/x")]
    [InlineData("http://example.com:8080/x", "http://example.com:8080/x")]
    [InlineData("https://example.com", "https://example.com/")]
    public void FromUrl_IsNormalizedLikeCreate(string url, string expected)
    {
        Assert.Equal(expected, CacheKey.FromUrl(new Uri(url)).Value);
    }

    [Theory]
    [InlineData("ftp://example.com/x")]
    [InlineData("file:///etc/passwd")]
    public void FromUrl_NonHttpScheme_Throws(string url)
    {
        Assert.Throws<ArgumentException>(() => CacheKey.FromUrl(new Uri(url)));
    }

    [Fact]
    public void FromUrl_RelativeUrl_Throws()
    {
        Assert.Throws<ArgumentException>(() => CacheKey.FromUrl(new Uri("/x", UriKind.Relative)));
    }
}
