using System.Text.Json;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.Tests;

public sealed class PurgeRequestValidatorTests
{
    private static readonly ControlOptions Options = new()
    {
        ApiKey = "0123456789abcdef",
        Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test", "shop.test"] }],
        Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }],
    };

    private static PurgeValidation Check(string json)
    {
        using var document = JsonDocument.Parse(json);
        var read = PurgeRequest.Read(document.RootElement, out var request);
        return read.IsValid ? new PurgeRequestValidator(Options).Validate(request) : read;
    }

    [Fact]
    public void ValidRequest_YieldsSiteAndUrls()
    {
        var result = Check("""{"site":"shop","urls":["http://www.shop.test/a?b=1","https://shop.test/c"]}""");
        Assert.True(result.IsValid, result.Error);
        Assert.Equal("shop", result.Site);
        Assert.Equal(["http://www.shop.test/a?b=1", "https://shop.test/c"], result.Urls);
    }

    [Fact]
    public void WithoutASite_TheSiteIsTheOneServingTheFirstUrlsHost_AndEveryOtherUrlMustBeOfIt()
    {
        var validator = new PurgeRequestValidator(Options with
        {
            Sites = [.. Options.Sites, new ControlSiteOptions { Name = "blog", Hosts = ["blog.test"] }],
        });
        PurgeValidation Validate(string json)
        {
            using var document = JsonDocument.Parse(json);
            var read = PurgeRequest.Read(document.RootElement, out var request);
            return read.IsValid ? validator.Validate(request) : read;
        }

        var byUrl = Validate("""{"urls":["http://Blog.Test/post"],"tags":["post-1"]}""");
        Assert.True(byUrl.IsValid, byUrl.Error);
        Assert.Equal("blog", byUrl.Site);
        Assert.Equal("shop", Validate("""{"prefixes":["https://shop.test/assets/"]}""").Site);

        var mixed = Validate("""{"urls":["http://blog.test/post","http://www.shop.test/"]}""");
        Assert.Equal(("urls[1]", "host 'www.shop.test' does not belong to site 'blog'"), (mixed.Field, mixed.Error));
        Assert.Contains("tags or \"all\"", Validate("""{"tags":["a"],"all":true}""").Error);
    }

    [Fact]
    public void HostMatch_IsCaseInsensitive()
        => Assert.True(Check("""{"site":"shop","urls":["http://WWW.Shop.Test/a"]}""").IsValid);

    [Theory]
    [InlineData("""[]""", "$")]
    [InlineData("""{"tags":["a"]}""", "site")]
    [InlineData("""{"all":true}""", "site")]
    [InlineData("""{"urls":["http://evil.test/"]}""", "site")]
    [InlineData("""{"urls":["/relative"]}""", "site")]
    [InlineData("""{"site":"blog","urls":["http://www.shop.test/"]}""", "site")]
    [InlineData("""{"site":7,"urls":["http://www.shop.test/"]}""", "site")]
    [InlineData("""{"site":"shop"}""", "urls")]
    [InlineData("""{"site":"shop","urls":[]}""", "urls")]
    [InlineData("""{"site":"shop","urls":"http://www.shop.test/"}""", "urls")]
    [InlineData("""{"site":"shop","urls":["http://www.shop.test/", 3]}""", "urls[1]")]
    [InlineData("""{"site":"shop","urls":["http://www.shop.test/", ""]}""", "urls[1]")]
    [InlineData("""{"site":"shop","urls":["/relative"]}""", "urls[0]")]
    [InlineData("""{"site":"shop","urls":["ftp://www.shop.test/x"]}""", "urls[0]")]
    [InlineData("""{"site":"shop","urls":["http://evil.test/x"]}""", "urls[0]")]
    [InlineData("""{"site":"shop","urls":["http://www.shop.test/"],"bogus":["a"]}""", "bogus")]
    [InlineData("""{"site":"shop","prefixes":["http://evil.test/"]}""", "prefixes[0]")]
    [InlineData("""{"site":"shop","tags":["two words"]}""", "tags[0]")]
    [InlineData("""{"site":"shop","tags":["a,b"]}""", "tags[0]")]
    [InlineData("""{"site":"shop","tags":[""]}""", "tags[0]")]
    [InlineData("""{"site":"shop","all":"yes"}""", "all")]
    [InlineData("""{"site":"shop","all":false}""", "urls")]
    public void BadRequest_IsRefused_NamingTheField(string json, string field)
    {
        var result = Check(json);
        Assert.False(result.IsValid);
        Assert.Equal(field, result.Field);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void MoreThanMaxItems_IsRefused()
    {
        var urls = Enumerable.Range(0, PurgeRequestValidator.MaxItems + 1).Select(i => $"http://www.shop.test/{i}");
        var result = Check(JsonSerializer.Serialize(new { site = "shop", urls }));
        Assert.Equal("urls", result.Field);
        Assert.Contains("1000", result.Error);
    }

    [Fact]
    public void ExactlyMaxItems_IsAccepted()
    {
        var urls = Enumerable.Range(0, PurgeRequestValidator.MaxItems).Select(i => $"http://www.shop.test/{i}");
        Assert.True(Check(JsonSerializer.Serialize(new { site = "shop", urls })).IsValid);
    }

    [Fact]
    public void OverlongUrl_IsRefused()
    {
        var url = "http://www.shop.test/" + new string('a', PurgeRequestValidator.MaxUrlLength);
        var result = Check(JsonSerializer.Serialize(new { site = "shop", urls = new[] { url } }));
        Assert.Equal("urls[0]", result.Field);
    }

    [Fact]
    public void PrefixesTagsAllAndSoft_AreAccepted()
    {
        var result = Check("""{"site":"shop","prefixes":["http://www.shop.test/products/"],"tags":["product-1"],"all":true,"soft":true}""");
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(["http://www.shop.test/products/"], result.Request!.Prefixes);
        Assert.Equal(["product-1"], result.Request.Tags);
        Assert.True(result.Request.All);
        Assert.True(result.Request.Soft);
    }

    [Fact]
    public void ItemsAcrossUrlsPrefixesAndTags_CountTogetherAgainstTheLimit()
    {
        var urls = Enumerable.Range(0, 600).Select(i => $"http://www.shop.test/{i}");
        var tags = Enumerable.Range(0, 401).Select(i => $"t{i}");
        var result = Check(JsonSerializer.Serialize(new { site = "shop", urls, tags }));
        Assert.False(result.IsValid);
        Assert.Contains("1001 items", result.Error);
    }

    [Fact]
    public void OnlyAll_IsAPurge()
        => Assert.True(Check("""{"site":"shop","all":true}""").IsValid);
}
