using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Origin;

/// <summary>The origin node's settings, bound from the <c>Origin</c> configuration section.</summary>
public sealed partial record OriginOptions
{
    public const string SectionName = "Origin";

    /// <summary>This node's name, e.g. <c>primary-1</c>; sent as <c>X-Served-By</c>.</summary>
    public required string Node { get; init; }

    /// <summary>The datacenter the node runs in, e.g. <c>primary</c> or <c>dr</c>.</summary>
    public required string Datacenter { get; init; }

    /// <summary>How long shared caches (the edges) may keep an HTML page.</summary>
    public int PageSharedMaxAgeSeconds { get; init; } = 300;

    /// <summary>How long browsers and shared caches may keep an asset.</summary>
    public int AssetSharedMaxAgeSeconds { get; init; } = 86400;

    /// <summary>Binds and validates the section; every failure names the configuration key it is about.</summary>
    /// <exception cref="OptionsValidationException">Some value is missing or invalid.</exception>
    public static OriginOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var failures = new List<string>();

        var node = RequiredName(section.GetSection(nameof(Node)), failures);
        var datacenter = RequiredName(section.GetSection(nameof(Datacenter)), failures);
        var pageMaxAge = NonNegativeSeconds(section.GetSection(nameof(PageSharedMaxAgeSeconds)), 300, failures);
        var assetMaxAge = NonNegativeSeconds(section.GetSection(nameof(AssetSharedMaxAgeSeconds)), 86400, failures);

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(OriginOptions), failures);
        }

        return new OriginOptions
        {
            Node = node,
            Datacenter = datacenter,
            PageSharedMaxAgeSeconds = pageMaxAge,
            AssetSharedMaxAgeSeconds = assetMaxAge,
        };
    }

    // Names end up in a response header (X-Served-By), so they are kept to header-safe characters.
    private static string RequiredName(IConfigurationSection key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(key.Value))
        {
            failures.Add($"{key.Path} is required");
            return "";
        }

        if (!NamePattern().IsMatch(key.Value))
        {
            failures.Add($"{key.Path}: '{key.Value}' may only contain ASCII letters, digits, '.', '-' and '_'");
        }

        return key.Value;
    }

    private static int NonNegativeSeconds(IConfigurationSection key, int defaultValue, List<string> failures)
    {
        if (key.Value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(key.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
        {
            failures.Add($"{key.Path}: '{key.Value}' is not a whole number of seconds >= 0");
        }

        return seconds;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
