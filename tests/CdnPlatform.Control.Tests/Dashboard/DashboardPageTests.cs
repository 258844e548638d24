using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary>
/// <c>GET /dashboard</c> over a real socket: served without a key (it holds no data), self-contained, and with a
/// Content-Security-Policy that lets exactly its own inline script and style run and talk to this control plane only.
/// </summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private OpsControlPlane _control = null!;

    public async Task InitializeAsync() => _control = await OpsControlPlane.StartAsync();

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Fact]
    public async Task IsServedWithoutAKey_AsOneSelfContainedPage()
    {
        using var response = await _control.GetAsync("/dashboard", key: null);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("id=\"api-key\"", html);
        // Nothing is fetched from anywhere: no external script, style sheet, image or font.
        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=\s*""(?!data:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
        // Data goes into the page as text only.
        Assert.DoesNotContain("innerHTML", html);
        Assert.DoesNotContain("insertAdjacentHTML", html);
        Assert.DoesNotContain("document.write", html);
    }

    [Fact]
    public async Task ItsPolicy_AllowsExactlyItsOwnScriptAndStyle_AndNoFraming()
    {
        using var response = await _control.GetAsync("/dashboard", key: null);
        var html = await response.Content.ReadAsStringAsync();
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("default-src 'none'", policy);
        Assert.Contains($"script-src '{Hash(Inline(html, "script"))}'", policy);
        Assert.Contains($"style-src '{Hash(Inline(html, "style"))}'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static string Inline(string html, string tag)
    {
        var start = html.IndexOf($"<{tag}>", StringComparison.Ordinal) + tag.Length + 2;
        return html[start..html.IndexOf($"</{tag}>", StringComparison.Ordinal)];
    }

    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
