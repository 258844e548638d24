using CdnPlatform.Origin.Pages;

namespace CdnPlatform.Origin.Tests;

public sealed class SearchQueryTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("   ", "")]
    [InlineData("Grinder", "grinder")]
    [InlineData("  burr \t  GRINDER ", "burr grinder")]
    [InlineData("a\u0007b", "ab")]
    public void Normalize_GivesOneSpellingPerSearch(string? q, string expected) =>
        Assert.Equal(expected, SearchQuery.Normalize(q));

    [Fact]
    public void Normalize_KeepsWholeWordsWithinTheLimit()
    {
        var normalized = SearchQuery.Normalize(string.Join(' ', Enumerable.Repeat("espresso", 20)));

        Assert.True(normalized.Length <= SearchQuery.MaxLength);
        Assert.All(normalized.Split(' '), word => Assert.Equal("espresso", word));
    }

    [Theory]
    [InlineData("", "/search")]
    [InlineData("burr grinder", "/search?q=burr%20grinder")]
    [InlineData("café & co", "/search?q=caf%C3%A9%20%26%20co")]
    public void CanonicalPathAndQuery_EscapesTheQuery(string normalized, string expected) =>
        Assert.Equal(expected, SearchQuery.CanonicalPathAndQuery(normalized));
}
