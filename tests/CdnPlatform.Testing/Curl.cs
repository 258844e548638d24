using System.Diagnostics;

namespace CdnPlatform.Testing;

/// <summary>
/// Debian's curl as the client (nghttp2 and OpenSSL inside): what a visitor's tools make of an endpoint, HTTP/2 by ALPN
/// and certificate checks included.
/// </summary>
public sealed record Curl(int ExitCode, string Output, string Error)
{
    /// <summary>Runs <c>curl -sS --max-time 10</c> with <paramref name="args"/> and waits for it.</summary>
    public static async Task<Curl> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-sS", "--max-time", "10", .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("curl is not installed (apt-get install curl)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Curl(process.ExitCode, await output, await error);
    }

    public override string ToString() => $"curl exited {ExitCode}: {Output} {Error}";
}
