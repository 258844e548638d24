using System.Diagnostics;

namespace CdnPlatform.IntegrationTests;

/// <summary>cdnctl as a user runs it against a control plane: its own process (the build next to the tests), to its end.</summary>
internal static class CdnctlCommand
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string controlUrl, string apiKey, TimeSpan patience, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "cdnctl.dll"), .. args, "--control", controlUrl, "--api-key", apiKey])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(patience);
        return (process.ExitCode, await output, await error);
    }
}
