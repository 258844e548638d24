using System.Security.Cryptography;
using System.Text;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests;

public sealed class ApiKeyScopeTests
{
    private static string Sha(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    private readonly ApiKeyAuthenticator _auth = new(new ControlOptions
    {
        Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test"] }, new ControlSiteOptions { Name = "blog", Hosts = ["blog.test"] }],
        ApiKeys =
        [
            new ApiKeyOptions { Name = "cms-shop", Sha256 = Sha("shop-cms-key-0123456789"), Sites = ["shop"], Actions = ["purge"] },
            new ApiKeyOptions { Name = "ops", Sha256 = Sha("ops-key-0123456789"), Sites = ["*"], Actions = ["ops"] },
        ],
    });

    [Fact]
    public void ScopedKey_MayPurgeItsSite_NotAnotherNorOps()
    {
        var principal = _auth.Authenticate("Bearer shop-cms-key-0123456789");
        Assert.NotNull(principal);
        Assert.Equal("cms-shop", principal.Name);
        Assert.True(principal.May(ApiAction.Purge, "shop"));
        Assert.False(principal.May(ApiAction.Purge, "blog"));
        Assert.False(principal.May(ApiAction.Ops));
    }

    [Fact]
    public void OpsKey_MayReadStatus_ButNotPurge()
    {
        var principal = _auth.Authenticate("Bearer ops-key-0123456789");
        Assert.NotNull(principal);
        Assert.True(principal.May(ApiAction.Ops));
        Assert.False(principal.May(ApiAction.Purge, "shop"));
    }

    [Fact]
    public void UnknownKey_IsNobody() => Assert.Null(_auth.Authenticate("Bearer not-a-configured-key"));

    [Fact]
    public void KeysAreConfiguredAsHashes_NamedInErrorsWhenMalformed()
    {
        var options = new ControlOptions
        {
            Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test"] }],
            Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }],
            ApiKeys = [new ApiKeyOptions { Name = "cms", Sha256 = "not-hex", Sites = ["nope"], Actions = ["delete"] }],
        };
        var failures = options.Validate().ToList();
        Assert.Contains(failures, f => f.StartsWith("Control:ApiKeys:0:Sha256"));
        Assert.Contains(failures, f => f.StartsWith("Control:ApiKeys:0:Sites"));
        Assert.Contains(failures, f => f.StartsWith("Control:ApiKeys:0:Actions"));
    }
}
