using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// YAML as Compose and kubectl read it: aliases are their anchors' nodes, and merge keys (<c>&lt;&lt;: *anchor</c> or
/// <c>&lt;&lt;: [*a, *b]</c>) are resolved as YAML 1.1 says: a shallow merge in which the mapping's own keys win, and
/// an earlier merged mapping wins over a later one. A key given twice in one mapping is an error, as in Compose.
/// </summary>
public static class YamlDocuments
{
    public const string MergeKey = "<<";

    /// <summary>Every document of <paramref name="text"/>, merge keys resolved; a parse error names its line.</summary>
    public static IReadOnlyList<YamlNode> Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => Resolve(d.RootNode))];
    }

    public static YamlNode Resolve(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ResolveMapping(mapping),
        YamlSequenceNode sequence => new YamlSequenceNode(sequence.Children.Select(Resolve)),
        _ => node,
    };

    private static YamlMappingNode ResolveMapping(YamlMappingNode mapping)
    {
        var resolved = new YamlMappingNode();
        foreach (var (key, value) in mapping.Children.Where(c => !IsMergeKey(c.Key)))
        {
            resolved.Add(key, Resolve(value));
        }
        foreach (var source in mapping.Children.Where(c => IsMergeKey(c.Key)).SelectMany(c => c.Value is YamlSequenceNode list ? list.Children : [c.Value]))
        {
            if (Resolve(source) is not YamlMappingNode merged)
            {
                throw new InvalidDataException($"line {source.Start.Line}: << merges a mapping or a list of mappings");
            }
            foreach (var (key, value) in merged.Children.Where(c => !resolved.Children.ContainsKey(c.Key)))
            {
                resolved.Add(key, value);
            }
        }
        return resolved;
    }

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: MergeKey, Style: ScalarStyle.Plain };

    /// <summary>A scalar's text; null for a missing node, YAML's null, or a mapping or list.</summary>
    public static string? Text(YamlNode? node) =>
        node is YamlScalarNode { Value: var value, Style: var style } && !(style == ScalarStyle.Plain && value is "" or "~" or "null" or "Null" or "NULL") ? value : null;

    /// <summary>The child at <paramref name="key"/> of a mapping; null if absent or not a mapping.</summary>
    public static YamlNode? At(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>The keys of a mapping; none for anything else.</summary>
    public static IEnumerable<string> Keys(YamlNode? node) =>
        node is YamlMappingNode mapping ? mapping.Children.Keys.Select(k => Text(k) ?? "") : [];

    /// <summary>The items of a list; none for anything else.</summary>
    public static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequenceNode list ? list.Children : [];
}
