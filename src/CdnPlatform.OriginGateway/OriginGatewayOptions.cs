using System.Globalization;
using Microsoft.Extensions.Options;

namespace CdnPlatform.OriginGateway;

/// <summary>The datacenter gateway's settings, bound from the <c>Gateway</c> configuration section.</summary>
public sealed record OriginGatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The datacenter this gateway balances, e.g. <c>primary</c> or <c>dr</c>.</summary>
    public required string Datacenter { get; init; }

    /// <summary>The datacenter's origin nodes, keyed by their configuration key (<c>0</c>, <c>1</c>, ...).</summary>
    public required IReadOnlyList<OriginNode> Nodes { get; init; }

    public int HealthCheckIntervalSeconds { get; init; } = 5;

    /// <summary>The path the active health check probes on every node.</summary>
    public string HealthCheckPath { get; init; } = "/healthz";

    /// <summary>Binds and validates the section; every failure names the configuration key it is about.</summary>
    /// <exception cref="OptionsValidationException">Some value is missing or invalid.</exception>
    public static OriginGatewayOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var failures = new List<string>();

        var datacenter = section.GetSection(nameof(Datacenter));
        if (string.IsNullOrWhiteSpace(datacenter.Value))
        {
            failures.Add($"{datacenter.Path} is required");
        }

        var nodes = BindNodes(section.GetSection(nameof(Nodes)), failures);

        var interval = section.GetSection(nameof(HealthCheckIntervalSeconds));
        var intervalSeconds = 5;
        if (interval.Value is not null
            && (!int.TryParse(interval.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out intervalSeconds)
                || intervalSeconds is < 1 or > 300))
        {
            failures.Add($"{interval.Path}: '{interval.Value}' is not a whole number of seconds from 1 to 300");
        }

        var path = section.GetSection(nameof(HealthCheckPath));
        if (path.Value is not null && !path.Value.StartsWith('/'))
        {
            failures.Add($"{path.Path}: '{path.Value}' must start with '/'");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(OriginGatewayOptions), failures);
        }

        return new OriginGatewayOptions
        {
            Datacenter = datacenter.Value!,
            Nodes = nodes,
            HealthCheckIntervalSeconds = intervalSeconds,
            HealthCheckPath = path.Value ?? "/healthz",
        };
    }

    private static List<OriginNode> BindNodes(IConfigurationSection section, List<string> failures)
    {
        var nodes = new List<OriginNode>();
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            failures.Add($"{section.Path} needs at least one node URL ({section.Path}:0, {section.Path}:1, ...)");
            return nodes;
        }

        foreach (var child in children)
        {
            if (!Uri.TryCreate(child.Value, UriKind.Absolute, out var address)
                || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{child.Path}: '{child.Value}' is not an absolute http:// or https:// URL");
                continue;
            }

            // The same node twice would silently get twice the traffic.
            var duplicate = nodes.Find(node => node.Address == address);
            if (duplicate is not null)
            {
                failures.Add($"{child.Path}: '{child.Value}' is already {section.Path}:{duplicate.Key}");
                continue;
            }

            nodes.Add(new OriginNode(child.Key, address));
        }

        return nodes;
    }
}
