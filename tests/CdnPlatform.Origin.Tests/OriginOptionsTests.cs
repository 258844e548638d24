using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Origin.Tests;

/// <summary>A node refuses to start on a bad <c>Origin</c> setting, with one line per key that names it.</summary>
public sealed class OriginOptionsTests
{
    private static OriginOptions Bind(params (string Key, string Value)[] settings) =>
        OriginOptions.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Origin:Node", "n1"), new("Origin:Datacenter", "primary"),
                .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build());

    [Fact]
    public void Defaults_GiveAStorageSilenceOfOneSecond()
    {
        Assert.Equal(1000, Bind().StorageSilenceMilliseconds);
        Assert.Equal(250, Bind(("Origin:StorageSilenceMilliseconds", "250")).StorageSilenceMilliseconds);
    }

    [Theory]
    [InlineData("Origin:StorageSilenceMilliseconds", "99", "Origin:StorageSilenceMilliseconds: '99' is not a whole number of milliseconds from 100 to 60000")]
    [InlineData("Origin:StorageSilenceMilliseconds", "1s", "Origin:StorageSilenceMilliseconds: '1s' is not a whole number of milliseconds from 100 to 60000")]
    [InlineData("Origin:KeyPrefix", "a b", "Origin:KeyPrefix: 'a b' may only contain ASCII letters, digits, '.', '-' and '_'")]
    [InlineData("Origin:CmsApiKey", "short", "Origin:CmsApiKey must be at least 16 characters")]
    public void A_bad_setting_is_refused_naming_its_key(string key, string value, string failure)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Equal([failure], refused.Failures);
    }
}
