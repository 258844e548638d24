using System.Net;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests;

public sealed class ControlDnsSecondaryOptionsTests
{
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ="; // 33 bytes

    private static readonly ControlDnsSecondaryOptions Bind = new() { Server = "192.0.2.53", Zone = "shop.test", KeyName = "cdn-key", KeySecret = Secret };

    private static readonly ControlOptions WithDns = ControlDnsOptionsTests.WithDns with
    {
        Dns = ControlDnsOptionsTests.WithDns.Dns with { Secondaries = [Bind] },
    };

    private static IEnumerable<string> Validate(params ControlDnsSecondaryOptions[] secondaries) =>
        (WithDns with { Dns = WithDns.Dns with { Secondaries = [.. secondaries] } }).Validate();

    [Fact]
    public void ASecondaryOfASitesZone_IsValid_OnPort53UnlessTold()
    {
        Assert.Empty(WithDns.Validate());
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), Bind.Endpoint);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 5353), (Bind with { Server = "[::1]:5353" }).Endpoint);
        Assert.Empty(Validate(Bind with { Zone = "SHOP.test." }));
    }

    [Fact]
    public void EveryBadKey_IsNamed()
    {
        Assert.Equal(
            [
                "Control:Dns:Secondaries:0:Server: 'bind.example:53' is not an IP address with an optional port (e.g. 192.0.2.53 or 127.0.0.1:5353)",
                "Control:Dns:Secondaries:0:Zone: 'blog.test' is not one of Control:Sites:N:Zone (shop.test)",
                "Control:Dns:Secondaries:0:KeyName: '' is not a key name (as the server's key \"…\" statement has it)",
                "Control:Dns:Secondaries:0:KeySecret must be base64 of at least 16 bytes (tsig-keygen prints one)",
                "Control:Dns:Secondaries:0:Algorithm: 'hmac-md5' is not one of hmac-sha256, hmac-sha384, hmac-sha512",
            ],
            Validate(new ControlDnsSecondaryOptions { Server = "bind.example:53", Zone = "blog.test", KeyName = "", KeySecret = "not base64!", Algorithm = "hmac-md5" }));
    }

    [Fact]
    public void AMissingSecret_SaysWhichEnvironmentVariableGivesIt() =>
        Assert.Equal(["Control:Dns:Secondaries:0:KeySecret is required (set it in the environment: Control__Dns__Secondaries__0__KeySecret)"],
            Validate(Bind with { KeySecret = "" }));

    [Fact]
    public void AShortSecret_IsRefused_WithoutEchoingIt()
    {
        var failure = Assert.Single(Validate(Bind with { KeySecret = "c2hvcnQ=" }));

        Assert.Equal("Control:Dns:Secondaries:0:KeySecret must be base64 of at least 16 bytes (tsig-keygen prints one)", failure);
        Assert.DoesNotContain("c2hvcnQ", failure);
    }

    [Fact]
    public void Secondaries_NeedTheControlPlaneToServeTheZones() =>
        Assert.Contains("Control:Dns:Secondaries needs Control:Dns:Port: the zones pushed are the ones the control plane serves",
            (WithDns with { Dns = WithDns.Dns with { Port = 0 } }).Validate());

    [Fact]
    public void TheSameServerAndZoneTwice_IsNamed() =>
        Assert.Equal(["Control:Dns:Secondaries: server '192.0.2.53' with zone 'shop.test' is listed 2 times"], Validate(Bind, Bind));
}
