using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdnPlatform.Control;

namespace CdnPlatform.IntegrationTests;

/// <summary><c>cdnctl purge</c> as a user runs it, a separate process, against a control plane with two sites.</summary>
public sealed partial class CdnctlPurgeTests : IAsyncLifetime
{
    private const string ApiKey = "purge-cli-key-0123456789";
    private Microsoft.AspNetCore.Builder.WebApplication _control = null!;

    public async Task InitializeAsync()
    {
        _control = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:ApiKey", ApiKey,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Sites:1:Name", "blog", "--Control:Sites:1:Hosts:0", "blog.shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
        ]);
        await _control.StartAsync();
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Fact]
    public async Task A_purge_by_url_without_a_site_goes_to_the_site_serving_that_host()
    {
        var (exit, output, error) = await CdnctlAsync("purge", "--url", "http://blog.shop.test/posts/1", "--prefix", "http://blog.shop.test/tags/");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        var id = Accepted().Match(output).Groups[1].Value;
        using var client = new HttpClient { BaseAddress = new Uri(_control.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var status = await client.GetFromJsonAsync<JsonElement>($"/v1/purge/{id}");
        Assert.Equal("blog", status.GetProperty("site").GetString());
        Assert.Equal(["http://blog.shop.test/posts/1"], status.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task A_purge_by_tag_alone_without_a_site_is_refused_with_the_reason()
    {
        var (exit, output, error) = await CdnctlAsync("purge", "--tag", "product-101");

        Assert.True(exit == 2, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("purge refused (400): site: is required when only tags or \"all\" are given", error);
        Assert.DoesNotContain("accepted", output);
    }

    private Task<(int Exit, string Output, string Error)> CdnctlAsync(params string[] args) =>
        CdnctlCommand.RunAsync(_control.Urls.First(), ApiKey, TimeSpan.FromSeconds(60), args);

    [GeneratedRegex(@"accepted (\S+) \(sequence")]
    private static partial Regex Accepted();
}
