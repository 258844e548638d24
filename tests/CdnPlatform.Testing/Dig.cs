using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CdnPlatform.Testing;

/// <summary>
/// BIND's <c>dig</c> (Debian's dnsutils, installed by scripts/test.sh) as the peer: a real resolver's idea of
/// a correct answer, over UDP or TCP, parsed from its usual output.
/// </summary>
public sealed partial record Dig(string Output)
{
    public static async Task<Dig> AskAsync(int port, params string[] query)
    {
        var start = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["@127.0.0.1", "-p", port.ToString(), "+norec", "+time=3", "+tries=1", .. query])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dig is not installed (apt-get install dnsutils)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Dig(output);
    }

    public string Status => StatusPattern().Match(Output).Groups[1].Value;

    public IReadOnlyList<string> Flags => FlagsPattern().Match(Output).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The answer's EDNS Client Subnet option as dig prints it, <c>address/source/scope</c>; null when it has none.</summary>
    public string? ClientSubnet => ClientSubnetPattern().Match(Output) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>The records of a section (ANSWER, AUTHORITY, ADDITIONAL) as dig prints them, one per line.</summary>
    public IReadOnlyList<string[]> Section(string name)
    {
        var match = Regex.Match(Output, $@";; {name} SECTION:\n(.*?)(\n\n|\z)", RegexOptions.Singleline);
        return match.Success
            ? [.. match.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split((char[]?)null, 5, StringSplitOptions.RemoveEmptyEntries))]
            : [];
    }

    [GeneratedRegex(@"status: ([A-Z]+)")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@";; flags: ([a-z ]+);")]
    private static partial Regex FlagsPattern();

    [GeneratedRegex(@"; CLIENT-SUBNET: (\S+)")]
    private static partial Regex ClientSubnetPattern();
}
