using System.Diagnostics;
using System.Text.Json;

namespace CdnPlatform.Testing;

/// <summary>
/// A scrape parsed by the reference Prometheus text-format parser (Debian's python3-prometheus-client, installed by
/// scripts/test.sh), not by the code under test: what it accepts, Prometheus accepts.
/// </summary>
public sealed class PrometheusText
{
    public const string Python = "/usr/bin/python3";

    // Prints every sample as JSON: family name and type, sample name, labels, value.
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            for s in family.samples:
                out.append({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value})
        print(json.dumps(out))
        """;

    private PrometheusText(IReadOnlyList<PrometheusSample> samples) => Samples = samples;

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Parses <paramref name="text"/>; throws with the parser's message when it is not valid exposition.</summary>
    public static async Task<PrometheusText> ParseAsync(string text)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new FormatException($"prometheus_client could not parse the scrape: {await error}\n--- scrape:\n{text}");
        }
        using var json = JsonDocument.Parse(await output);
        var samples = json.RootElement.EnumerateArray().Select(s => new PrometheusSample(
            s.GetProperty("family").GetString()!, s.GetProperty("type").GetString()!, s.GetProperty("name").GetString()!,
            s.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            s.GetProperty("value").GetDouble())).ToList();
        return new PrometheusText(samples);
    }

    /// <summary>The family's type as the parser read it (counter, gauge, histogram), or null when absent.</summary>
    public string? TypeOf(string family) => Samples.FirstOrDefault(s => s.Family == family)?.Type;

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Whether any sample is named <paramref name="name"/>.</summary>
    public bool Has(string name) => Samples.Any(s => s.Name == name);
}
