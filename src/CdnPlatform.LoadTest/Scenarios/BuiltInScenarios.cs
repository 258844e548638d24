namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>The scenarios shipped inside cdnload (<c>Scenarios/BuiltIn/*.json</c>, embedded): browse, sale-peak, purge-storm, dc-drill.</summary>
public static class BuiltInScenarios
{
    private const string Prefix = "scenario:";

    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(BuiltInScenarios).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]).Order()];

    /// <summary>The text of a built-in scenario; null when there is none by that name.</summary>
    public static string? Text(string name)
    {
        using var stream = typeof(BuiltInScenarios).Assembly.GetManifestResourceStream(Prefix + name);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A built-in scenario by name, or a scenario file by path (anything with a <c>.json</c> ending or a directory separator).
    /// </summary>
    /// <exception cref="ScenarioException">No such scenario, an unreadable file, or a malformed one.</exception>
    public static Scenario Resolve(string nameOrPath)
    {
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/'))
        {
            string text;
            try
            {
                text = File.ReadAllText(nameOrPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ScenarioException($"{nameOrPath}: cannot read the scenario file: {e.Message}");
            }
            return ScenarioReader.Read(text, nameOrPath, Path.GetFileNameWithoutExtension(nameOrPath));
        }
        return Text(nameOrPath) is { } builtIn
            ? ScenarioReader.Read(builtIn, $"built-in {nameOrPath}", nameOrPath)
            : throw new ScenarioException($"unknown scenario '{nameOrPath}' (built in: {string.Join(", ", Names)}; or a path to a .json file)");
    }
}
