using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests;

public sealed class ApiKeyAuthenticatorTests
{
    private readonly ApiKeyAuthenticator _auth = new(new ControlOptions { ApiKey = "correct-horse-battery" });

    [Theory]
    [InlineData("Bearer correct-horse-battery")]
    [InlineData("bearer correct-horse-battery")]
    [InlineData("Bearer  correct-horse-battery ")]
    public void RightKey_IsAuthorized(string header) => Assert.True(_auth.IsAuthorized(header));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("correct-horse-battery")]
    [InlineData("Basic correct-horse-battery")]
    [InlineData("Bearer correct-horse-batter")]
    [InlineData("Bearer correct-horse-battery2")]
    [InlineData("Bearer ")]
    public void MissingOrWrongKey_IsRefused(string? header) => Assert.False(_auth.IsAuthorized(header));
}
