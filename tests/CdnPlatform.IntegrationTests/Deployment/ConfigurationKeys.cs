using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using CdnPlatform.OriginGateway;
using Microsoft.Extensions.Configuration;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// Finds configuration keys no host reads. .NET's binder ignores a key it has no property for, so
/// <c>Edge__Sitez__0__Name</c> or a <c>"Resolver"</c> for <c>"Resolvers"</c> would start a host that quietly does
/// something else; this walks every key against the options types' settable properties (as the binder sees them,
/// case-insensitively), list items by index, and says where a key leads nowhere.
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>Sections every ASP.NET Core host reads besides its own.</summary>
    public static readonly IReadOnlySet<string> FrameworkSections =
        new HashSet<string>(["Logging", "Kestrel", "AllowedHosts", "Urls", "DetailedErrors", "HostFilteringOptions"], StringComparer.OrdinalIgnoreCase);

    // Types a host binds by hand from keys of another shape than its properties: a gateway's node is a URL, or a
    // Name and a Url (OriginGatewayOptions.BindNodes), not the OriginNode record it becomes.
    private static readonly Dictionary<Type, Type> ConfiguredAs = new() { [typeof(OriginNode)] = typeof(GatewayNodeKeys) };
    private static readonly HashSet<Type> ValueOrSection = [typeof(GatewayNodeKeys)];

    /// <param name="sections">The host's own sections and the options type each binds to.</param>
    /// <param name="processVariables">Environment variables that are not configuration sections (<c>PORT</c>): top-level values allowed.</param>
    public static IEnumerable<string> Unknown(IConfiguration configuration, IReadOnlyDictionary<string, Type> sections, IReadOnlySet<string> processVariables)
    {
        foreach (var child in configuration.GetChildren())
        {
            var own = sections.FirstOrDefault(s => string.Equals(s.Key, child.Key, StringComparison.OrdinalIgnoreCase));
            if (own.Value is not null)
            {
                foreach (var problem in Walk(child, own.Value))
                {
                    yield return problem;
                }
            }
            else if (!FrameworkSections.Contains(child.Key) && !(processVariables.Contains(child.Key) && !child.GetChildren().Any()))
            {
                yield return $"{child.Path}: no section of this host (its sections: {string.Join(", ", sections.Keys)})";
            }
        }
    }

    private static IEnumerable<string> Walk(IConfigurationSection section, Type declared)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        type = ConfiguredAs.GetValueOrDefault(type, type);
        var children = section.GetChildren().ToList();
        if (IsValue(type))
        {
            if (children.Count > 0)
            {
                yield return $"{children[0].Path}: {section.Path} is a value ({type.Name}), not a section";
            }
            yield break;
        }
        if (ElementType(type) is { } element)
        {
            if (children.Count == 0 && section.Value is { Length: > 0 })
            {
                yield return $"{section.Path} is a list: give it as {section.Path}:0, {section.Path}:1, …";
            }
            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    yield return $"{child.Path}: '{child.Key}' is not an index of the list {section.Path}";
                    continue;
                }
                foreach (var problem in Walk(child, element))
                {
                    yield return problem;
                }
            }
            yield break;
        }
        if (children.Count == 0 && section.Value is { Length: > 0 } && !ValueOrSection.Contains(type))
        {
            yield return $"{section.Path} is a section ({type.Name}), not a value";
        }
        var properties = Settable(type).ToList();
        foreach (var child in children)
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                yield return $"{child.Path}: {type.Name} has no {child.Key} (it has {string.Join(", ", properties.Select(p => p.Name))})";
                continue;
            }
            foreach (var problem in Walk(child, property.PropertyType))
            {
                yield return problem;
            }
        }
    }

    // What the binder sets: public instance properties with a public setter (init counts), no indexers.
    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);

    // As the binder decides: a type its TypeConverter makes from a string is a value.
    private static bool IsValue(Type type) => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? ElementType(Type type) => type.IsArray
        ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>The keys of one <c>Gateway:Nodes:N</c> section.</summary>
    private sealed record GatewayNodeKeys
    {
        public string Name { get; init; } = "";
        public string Url { get; init; } = "";
    }
}
