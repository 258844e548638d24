using CdnPlatform.Control.CloudFront;

namespace CdnPlatform.Control.Tests.CloudFront;

public sealed class CloudFrontPathsTests
{
    private static CloudFrontPathSet Urls(params string[] urls) => CloudFrontPaths.From(urls, [], [], all: false);

    [Fact]
    public void Url_BecomesItsPathAndQuery() =>
        Assert.Equal(["/shoes/red.html?size=42&w=1"], Urls("https://www.shop.test/shoes/red.html?size=42&w=1").Paths);

    [Fact]
    public void Url_NonAsciiAndRfc1738UnsafeCharacters_ArePercentEncoded() =>
        Assert.Equal(["/%C3%BCber/a%20b/%7Bx%7D/%5B1%5D/%7Euser/%5E%60%7C"], Urls("https://www.shop.test/über/a b/{x}/[1]/~user/^`|").Paths);

    [Fact]
    public void Url_OtherCharactersAndExistingEscapes_AreLeftAlone() =>
        Assert.Equal(["/a%2Fb/c:d@e;f=g,h!$&'()+-_./?q=%C3%BC"], Urls("https://www.shop.test/a%2Fb/c:d@e;f=g,h!$&'()+-_./?q=%C3%BC").Paths);

    [Fact]
    public void Prefix_BecomesAWildcard()
    {
        var set = CloudFrontPaths.From([], ["https://www.shop.test/images/", "https://www.shop.test/video"], [], all: false);
        Assert.Equal(["/images/*", "/video*"], set.Paths);
        Assert.Empty(set.Unsupported);
    }

    [Fact]
    public void PrefixOfTheWholeHost_IsEverything() =>
        Assert.Equal(["/*"], CloudFrontPaths.From([], ["https://www.shop.test"], [], all: false).Paths);

    [Fact]
    public void All_IsTheSinglePathSlashStar_CoveringEverythingElse()
    {
        var set = CloudFrontPaths.From(["https://www.shop.test/a"], ["https://www.shop.test/b/"], ["product:1"], all: true);
        Assert.Equal([CloudFrontPaths.Everything], set.Paths);
        Assert.Equal("/*", CloudFrontPaths.Everything);
        Assert.Empty(set.Unsupported);
    }

    [Fact]
    public void Tags_AreReportedUnsupported()
    {
        var set = CloudFrontPaths.From(["https://www.shop.test/a"], [], ["product:1", "category:tv"], all: false);
        Assert.Equal(["/a"], set.Paths);
        Assert.Equal(["product:1", "category:tv"], set.Unsupported.Select(u => u.Item));
        Assert.All(set.Unsupported, u => Assert.Equal("tag", u.Kind));
        Assert.All(set.Unsupported, u => Assert.Contains("CloudFront invalidates by path", u.Reason));
    }

    [Fact]
    public void PathsAWildcardCovers_AndDuplicates_AreDropped()
    {
        var set = CloudFrontPaths.From(
            ["https://www.shop.test/img/a.png", "https://www.shop.test/css/site.css", "https://www.shop.test/css/site.css"],
            ["https://www.shop.test/img/", "https://www.shop.test/img/icons/"], [], all: false);
        Assert.Equal(["/css/site.css", "/img/*"], set.Paths);
    }

    [Fact]
    public void CoverageIsCaseSensitive_AsCloudFrontPathsAre() =>
        Assert.Equal(["/IMG/a.png", "/img/*"], CloudFrontPaths.From(["https://www.shop.test/IMG/a.png"], ["https://www.shop.test/img/"], [], all: false).Paths);

    [Theory]
    [InlineData("/relative/only")]
    [InlineData("ftp://www.shop.test/a")]
    [InlineData("https://www.shop.test/a*b")]
    public void UrlsCloudFrontCannotTake_AreReportedUnsupported(string url)
    {
        var set = Urls(url);
        Assert.Empty(set.Paths);
        Assert.Equal(url, Assert.Single(set.Unsupported).Item);
    }

    [Fact]
    public void PathLongerThan4000Characters_IsReportedUnsupported()
    {
        var set = Urls("https://www.shop.test/" + new string('a', 4000));
        Assert.Contains("at most 4000", Assert.Single(set.Unsupported).Reason);
    }
}
