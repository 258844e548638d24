using System.Diagnostics;

namespace CdnPlatform.Cli.Deploy;

/// <summary>
/// Restarts by running the operator's command through <c>/bin/sh -c</c>, with <c>{node}</c>, <c>{dc}</c> and
/// <c>{index}</c> filled in, e.g. <c>docker compose restart {dc}-node-{index}</c>; it has restarted the node when it
/// exits 0.
/// </summary>
public sealed class CommandRestart(string template) : IRestartStep
{
    public string CommandFor(string datacenter, string node, int index) =>
        template.Replace("{node}", node, StringComparison.Ordinal)
            .Replace("{dc}", datacenter, StringComparison.Ordinal)
            .Replace("{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public async Task<string?> RestartAsync(string datacenter, string node, int index, CancellationToken cancellationToken)
    {
        var command = CommandFor(datacenter, node, index);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await output;
        var stderr = (await errors).Trim();
        return process.ExitCode == 0 ? null : $"`{command}` exited with {process.ExitCode}{(stderr.Length > 0 ? ": " + stderr : "")}";
    }
}
