using CdnPlatform.Control;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary><c>cdnctl dc</c> as a user runs it, a separate process, against a control plane whose datacenters are unreachable.</summary>
public sealed class CdnctlDcTests : IAsyncLifetime
{
    private const string ApiKey = "dc-cli-key-0123456789";
    private Microsoft.AspNetCore.Builder.WebApplication _control = null!;

    public async Task InitializeAsync()
    {
        _control = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:ApiKey", ApiKey,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Nodes:0", "p1", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.250:1",
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Nodes:0", "d1", "--Control:Datacenters:1:Gateways:0", "http://127.0.22.250:1",
            "--Control:Failover:ProbeMilliseconds", "100", "--Control:Failover:FailAfter", "1",
        ]);
        await _control.StartAsync();
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    private Task<(int Exit, string Output, string Error)> CdnctlAsync(params string[] args) =>
        CdnctlCommand.RunAsync(_control.Urls.First(), ApiKey, TimeSpan.FromSeconds(60), args);

    [Fact]
    public async Task Status_ShowsEachDatacenterAndWhyItIsNotDeclaredDown()
    {
        string output = "";
        await Eventually.TrueAsync(async () =>
        {
            (_, output, _) = await CdnctlAsync("dc", "status");
            return output.Contains("control plane sees it down", StringComparison.Ordinal);
        }, Eventually.Patience, "cdnctl dc status shows the unreachable datacenters down");

        Assert.Contains("active: primary", output);
        Assert.Contains("failover state: idle", output);
        Assert.Contains("primary (active)", output);
        Assert.Contains("no edge reports a view to confirm it", output);
        Assert.Contains("http://127.0.22.250:1 ", output);
    }

    [Theory]
    [InlineData("switchover")]
    [InlineData("failover")]
    [InlineData("failback")]
    public async Task Switch_ToAnUnknownDatacenter_Exits2_WithTheReason(string kind)
    {
        var (exit, _, error) = await CdnctlAsync("dc", kind, "--to", "mars");

        Assert.Equal(2, exit);
        Assert.Contains("to must be one of 'primary', 'dr'", error);
        Assert.Contains("Nothing was changed", error);
    }

    [Fact]
    public async Task Switchover_WithoutTheDatacentersRedis_Exits3_AndSaysWhatIsMissing()
    {
        var (exit, _, error) = await CdnctlAsync("dc", "switchover", "--to", "dr", "--force");

        Assert.Equal(3, exit);
        Assert.Contains("(409)", error);
        Assert.Contains("Control:Datacenters:N:Redis", error);
    }

    [Fact]
    public async Task Failback_WithNoSwitchYet_GoesToTheActiveDatacenter_AndHasNothingToDo()
    {
        var (exit, output, error) = await CdnctlAsync("dc", "failback");

        Assert.True(exit == 0, error);
        Assert.Contains("failback primary → primary: already active: nothing to do", output);
    }
}
