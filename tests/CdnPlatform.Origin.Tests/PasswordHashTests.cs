using CdnPlatform.Origin.Content;

namespace CdnPlatform.Origin.Tests;

public sealed class PasswordHashTests
{
    [Fact]
    public void TheDemoAccountsPassword_VerifiesAgainstTheSeededHash()
    {
        var anna = TestSeed.Load().Accounts.Single(a => a.Email == TestSeed.AnnaEmail);

        Assert.True(PasswordHash.Verify(TestSeed.AnnaPassword, anna.PasswordHash));
        Assert.False(PasswordHash.Verify(TestSeed.AnnaPassword + "x", anna.PasswordHash));
    }

    [Fact]
    public void ANewHash_VerifiesItsPasswordOnly_AndIsSaltedEachTime()
    {
        var first = PasswordHash.Create("correct horse");
        var second = PasswordHash.Create("correct horse");

        Assert.NotEqual(first, second);
        Assert.True(PasswordHash.Verify("correct horse", first));
        Assert.False(PasswordHash.Verify("correct horsE", first));
    }

    [Theory]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("pbkdf2-sha256$10$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("pbkdf2-sha256$10000$not-base64$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("md5$10000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    public void AMalformedHash_NeverVerifies(string encoded)
    {
        Assert.False(PasswordHash.IsWellFormed(encoded));
        Assert.False(PasswordHash.Verify("secret", encoded));
    }
}
