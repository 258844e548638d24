using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// Compose's variable substitution in values: <c>$$</c> is a literal <c>$</c>; <c>${VAR}</c> and <c>$VAR</c>;
/// <c>${VAR:-default}</c> (unset or empty) and <c>${VAR-default}</c> (unset); <c>${VAR:?error}</c> and
/// <c>${VAR?error}</c>, which refuse to start; <c>${VAR:+other}</c> and <c>${VAR+other}</c>.
/// </summary>
public sealed partial class ComposeInterpolation(IReadOnlyDictionary<string, string> environment)
{
    private readonly Dictionary<string, ComposeVariable> _variables = [];

    /// <summary>Every variable the file named, with how it was used.</summary>
    public IReadOnlyDictionary<string, ComposeVariable> Variables => _variables;

    /// <summary>A copy of <paramref name="node"/> with every scalar value substituted; mapping keys stay as written.</summary>
    /// <exception cref="InvalidOperationException">A required variable is unset (or empty, for <c>:?</c>), as Compose refuses it.</exception>
    public YamlNode Apply(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new YamlMappingNode(mapping.Children.Select(c => KeyValuePair.Create(c.Key, Apply(c.Value)))),
        YamlSequenceNode list => new YamlSequenceNode(list.Children.Select(Apply)),
        YamlScalarNode { Value: { } value } scalar => new YamlScalarNode(Apply(value)) { Style = scalar.Style, Tag = scalar.Tag },
        _ => node,
    };

    public string Apply(string text) => Reference().Replace(text, match =>
    {
        if (match.Groups["escaped"].Success)
        {
            return "$";
        }
        var name = match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["bare"].Value;
        var op = match.Groups["op"].Value;
        var argument = match.Groups["arg"].Value;
        var set = environment.TryGetValue(name, out var value);
        var present = op.StartsWith(':') ? !string.IsNullOrEmpty(value) : set;
        var use = new ComposeVariable(name, Required: op.EndsWith('?'), Default: op.EndsWith('-') ? argument : null, Unset: !set && op is "" or "+" or ":+");
        _variables[name] = _variables.TryGetValue(name, out var seen)
            ? seen with { Required = seen.Required || use.Required, Default = seen.Default ?? use.Default, Unset = seen.Unset || use.Unset }
            : use;
        return op.TrimStart(':') switch
        {
            "" => value ?? "",
            "-" => present ? value! : argument,
            "?" => present ? value! : throw new InvalidOperationException($"required variable {name} is missing a value: {argument}"),
            "+" => present ? argument : "",
            _ => throw new InvalidOperationException($"'{match.Value}' is not a substitution Compose knows"),
        };
    });

    [GeneratedRegex(@"\$(?:(?<escaped>\$)|\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?+])(?<arg>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Reference();
}
