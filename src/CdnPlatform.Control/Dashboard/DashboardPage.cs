using System.Security.Cryptography;
using System.Text;

namespace CdnPlatform.Control.Dashboard;

/// <summary>
/// The ops dashboard (<c>dashboard.html</c>, embedded in the assembly): one page with its style and script inline,
/// and the Content-Security-Policy that allows exactly those two by their SHA-256 — nothing else runs, nothing
/// is loaded from elsewhere, and it talks to this control plane only.
/// </summary>
public sealed class DashboardPage
{
    public const string ResourceName = "dashboard.html";

    private DashboardPage(byte[] html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    public byte[] Html { get; }

    public string ContentSecurityPolicy { get; }

    /// <summary>Read once, at start-up: a page whose script or style cannot be found fails the start, not a visit.</summary>
    public static DashboardPage Load()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the control plane assembly has no '{ResourceName}' resource");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        var policy = string.Join("; ",
            "default-src 'none'",
            $"script-src '{Hash(Inline(html, "script"))}'",
            $"style-src '{Hash(Inline(html, "style"))}'",
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            // The page holds buttons that move every visitor to another datacenter: no other site may frame it and trick a click.
            "frame-ancestors 'none'");
        return new DashboardPage(Encoding.UTF8.GetBytes(html), policy);
    }

    // The text of the page's one <tag> element, exactly as the browser hashes it.
    private static string Inline(string html, string tag)
    {
        var open = $"<{tag}>";
        var start = html.IndexOf(open, StringComparison.Ordinal);
        var end = html.IndexOf($"</{tag}>", StringComparison.Ordinal);
        if (start < 0 || end < start || html.IndexOf(open, start + open.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"{ResourceName} must have exactly one <{tag}> element, written as <{tag}>");
        }
        return html[(start + open.Length)..end];
    }

    private static string Hash(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));
}
