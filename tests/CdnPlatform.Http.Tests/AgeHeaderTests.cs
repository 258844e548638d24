using System.Globalization;
using CdnPlatform.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §5.1 Age: one field line of 1*DIGIT (http-cache-tests age-parse).</summary>
public sealed class AgeHeaderTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7200", 7200L)]
    [InlineData(" 60\t", 60L)]
    [InlineData("007", 7L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("99999999999999999999", 2147483648L)]
    public void OneLineOfDigits_IsValid(string value, long seconds)
    {
        Assert.True(AgeHeader.TryParse(value, out var age));
        Assert.Equal(TimeSpan.FromSeconds(seconds), age);
    }

    // age-parse-nonnumeric, -negative, -float, -suffix, -dup-0, -dup-old, -parameter, -numeric-parameter.
    // age-parse-prefix ("0,7200", expected "cached") is the one case this rule does not satisfy: see AgeHeader.
    [Theory]
    [InlineData("abc")]
    [InlineData("-7200")]
    [InlineData("7200.0")]
    [InlineData("7200,0")]
    [InlineData("0,7200")]
    [InlineData("0, 0")]
    [InlineData("3600, 3600")]
    [InlineData("7200;foo=bar")]
    [InlineData("7200;foo=111")]
    [InlineData("+5")]
    [InlineData("")]
    [InlineData("  ")]
    public void AnythingElse_IsInvalid(string value)
    {
        Assert.False(AgeHeader.TryParse(value, out _));
    }

    // age-parse-suffix-twoline, -prefix-twoline, -dup-0-twoline
    [Theory]
    [InlineData("7200", "0")]
    [InlineData("0", "7200")]
    [InlineData("0", "0")]
    public void TwoFieldLines_AreInvalid(string first, string second)
    {
        Assert.False(AgeHeader.TryParse(new StringValues([first, second]), out _));
    }

    [Fact]
    public void NoFieldLine_IsNotAnAge()
    {
        Assert.False(AgeHeader.TryParse(StringValues.Empty, out _));
        Assert.False(AgeHeader.TryParse(new StringValues((string?)null), out _));
        Assert.False(AgeHeader.TryParse(new StringValues([null!]), out _));
    }

    [Fact]
    public void TryParse_AnyFieldLines_NeverThrows()
    {
        var lines = ArbMap.Default.ArbFor<string>().Generator.ArrayOf().ToArbitrary();

        Prop.ForAll(lines, l => AgeHeader.TryParse(new StringValues(l), out _) || true).Holds();
    }

    [Fact]
    public void TryParse_AnyNonNegativeInt_RoundTrips()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), n =>
            AgeHeader.TryParse(n.ToString(CultureInfo.InvariantCulture), out var age) && age == TimeSpan.FromSeconds(n)).Holds();
    }
}
