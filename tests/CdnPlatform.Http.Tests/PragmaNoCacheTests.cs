using CdnPlatform.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §5.4 Pragma (http-cache-tests pragma, all checks).</summary>
public sealed class PragmaNoCacheTests
{
    [Theory]
    [InlineData("no-cache")] // pragma-request-no-cache, pragma-response-no-cache
    [InlineData("No-Cache")]
    [InlineData("foo, no-cache")]
    [InlineData(" no-cache ,")]
    public void NoCache_IsPresent(string pragma)
    {
        Assert.True(PragmaNoCache.IsPresent(pragma));
    }

    [Theory]
    [InlineData("unrecognised-extension")] // pragma-request-extension, pragma-response-extension
    [InlineData("foo")] // what the suite's own client sends on every request
    [InlineData("no-cache=1")]
    [InlineData("x=\"no-cache, a\"")]
    [InlineData("")]
    public void OtherPragmas_AreNotNoCache(string pragma)
    {
        Assert.False(PragmaNoCache.IsPresent(pragma));
    }

    [Fact]
    public void NoCache_OnAnyLine_IsPresent()
    {
        Assert.True(PragmaNoCache.IsPresent(new StringValues(["foo", "no-cache"])));
        Assert.False(PragmaNoCache.IsPresent(StringValues.Empty));
    }

    [Fact]
    public void IsPresent_AnyFieldLines_NeverThrows()
    {
        var lines = ArbMap.Default.ArbFor<string>().Generator.ArrayOf().ToArbitrary();

        Prop.ForAll(lines, l => PragmaNoCache.IsPresent(new StringValues(l)) || true).Holds();
    }

    [Fact]
    public void IsPresent_NoCacheAmongAnyTokens_IsFound()
    {
        var tokens = Gen.Elements("a", "b=1", "x-y", "\"q, r\"").ArrayOf().ToArbitrary();

        Prop.ForAll(tokens, t => PragmaNoCache.IsPresent(string.Join(", ", t.Append("no-cache").Reverse()))).Holds();
    }
}
