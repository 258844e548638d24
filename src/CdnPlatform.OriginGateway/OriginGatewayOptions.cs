using System.Globalization;
using Microsoft.Extensions.Options;

namespace CdnPlatform.OriginGateway;

/// <summary>The datacenter gateway's settings, bound from the <c>Gateway</c> configuration section.</summary>
public sealed record OriginGatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The datacenter this gateway balances, e.g. <c>primary</c> or <c>dr</c>.</summary>
    public required string Datacenter { get; init; }

    /// <summary>
    /// The datacenter's origin nodes, keyed by their configuration key (<c>0</c>, <c>1</c>, ...): either a URL
    /// (<c>Gateway:Nodes:0</c>) or a name and a URL (<c>Gateway:Nodes:0:Name</c>, <c>Gateway:Nodes:0:Url</c>). Drains
    /// name nodes, so a gateway that the control plane drains needs the second form.
    /// </summary>
    public required IReadOnlyList<OriginNode> Nodes { get; init; }

    /// <summary>
    /// The bearer key that <c>PUT /gateway/drains</c> requires (the control plane's <c>Control:GatewayKey</c>).
    /// Empty turns drains off: the endpoint then refuses every call, since anyone who can reach it could
    /// otherwise take every node out of rotation.
    /// </summary>
    public string AdminKey { get; init; } = "";

    /// <summary>The shortest <see cref="AdminKey"/> accepted, as for the control plane's API keys.</summary>
    public const int MinAdminKeyLength = 16;

    /// <summary>
    /// How often every node's <see cref="HealthCheckPath"/> is probed. With <see cref="HealthCheckFailureThreshold"/>
    /// it bounds how long a dead node stays in rotation: 1 s × 2 takes it out within 2 s (HAProxy's default,
    /// inter 2 s × fall 3, takes 6 s).
    /// </summary>
    public int HealthCheckIntervalSeconds { get; init; } = 1;

    /// <summary>
    /// Consecutive failed probes (no answer in time, or a status other than 2xx and 503) that take a node out of rotation.
    /// A 503 is the node saying itself that it cannot serve, and takes it out at once.
    /// </summary>
    public int HealthCheckFailureThreshold { get; init; } = 2;

    /// <summary>The path the active health check probes on every node: its readiness (Redis reachable, content loaded).</summary>
    public string HealthCheckPath { get; init; } = "/healthz";

    /// <summary>
    /// Consecutive failed requests (transport failures or 5xx answers) that take a node out between probes.
    /// More than one, so that a single broken page does not eject the node that rendered it.
    /// </summary>
    public int PassiveFailureThreshold { get; init; } = 3;

    /// <summary>
    /// How long a node taken out by failed requests stays out before it gets requests again. Short: the probes
    /// keep a node that is really down out anyway, and a node that only stumbled should not idle for long.
    /// </summary>
    public int PassiveReactivationSeconds { get; init; } = 5;

    /// <summary>
    /// How many times a failed request is sent again, each time to a node it has not tried: GET, HEAD and
    /// OPTIONS on any failure before the response began, other methods only when nothing reached the node.
    /// 2 lets a request try all three nodes of a datacenter; 0 turns retries off.
    /// </summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>
    /// How long a write (any method but GET, HEAD, OPTIONS, TRACE) waits while the control plane holds writes for a
    /// switchover, before it gets 503 with Retry-After. A switchover takes well under a second when DR is caught
    /// up; this bounds what a visitor waits when one stalls.
    /// </summary>
    public int WriteHoldSeconds { get; init; } = 10;

    /// <summary>
    /// How many writes may wait at once (a switchover's hold, or the active datacenter's gateways unreachable); one
    /// more is refused at once with 503 and Retry-After. Bounds the requests and connections a long loss piles up
    /// at a gateway under a peak: at 10 s each, 1,000 is 100 writes a second.
    /// </summary>
    public int MaxHeldWrites { get; init; } = 1000;

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
        var defaults = new OriginGatewayOptions { Datacenter = "", Nodes = [] };
        var interval = WholeNumber(section, nameof(HealthCheckIntervalSeconds), defaults.HealthCheckIntervalSeconds, 1, 300, "of seconds ", failures);
        var threshold = WholeNumber(section, nameof(HealthCheckFailureThreshold), defaults.HealthCheckFailureThreshold, 1, 100, "", failures);

        var path = section.GetSection(nameof(HealthCheckPath));
        if (path.Value is not null && !path.Value.StartsWith('/'))
        {
            failures.Add($"{path.Path}: '{path.Value}' must start with '/'");
        }

        var passiveThreshold = WholeNumber(section, nameof(PassiveFailureThreshold), defaults.PassiveFailureThreshold, 1, 100, "", failures);
        var reactivation = WholeNumber(section, nameof(PassiveReactivationSeconds), defaults.PassiveReactivationSeconds, 1, 300, "of seconds ", failures);
        var retries = WholeNumber(section, nameof(MaxRetries), defaults.MaxRetries, 0, 10, "", failures);
        var writeHold = WholeNumber(section, nameof(WriteHoldSeconds), defaults.WriteHoldSeconds, 1, 120, "of seconds ", failures);
        var maxHeld = WholeNumber(section, nameof(MaxHeldWrites), defaults.MaxHeldWrites, 1, 100_000, "", failures);

        var adminKey = section.GetSection(nameof(AdminKey));
        if (!string.IsNullOrEmpty(adminKey.Value) && adminKey.Value.Length < MinAdminKeyLength)
        {
            failures.Add($"{adminKey.Path} must be at least {MinAdminKeyLength} characters");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(OriginGatewayOptions), failures);
        }

        return new OriginGatewayOptions
        {
            Datacenter = datacenter.Value!,
            Nodes = nodes,
            HealthCheckIntervalSeconds = interval,
            HealthCheckFailureThreshold = threshold,
            HealthCheckPath = path.Value ?? defaults.HealthCheckPath,
            PassiveFailureThreshold = passiveThreshold,
            PassiveReactivationSeconds = reactivation,
            MaxRetries = retries,
            WriteHoldSeconds = writeHold,
            MaxHeldWrites = maxHeld,
            AdminKey = adminKey.Value ?? "",
        };
    }

    private static int WholeNumber(IConfigurationSection section, string key, int fallback, int min, int max, string unit, List<string> failures)
    {
        var setting = section.GetSection(key);
        if (setting.Value is null)
        {
            return fallback;
        }
        if (!int.TryParse(setting.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            failures.Add($"{setting.Path}: '{setting.Value}' is not a whole number {unit}from {min} to {max}");
            return fallback;
        }
        return value;
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
            // A bare URL, or a section with a Name and a Url.
            var named = child.Value is null;
            var url = named ? child.GetSection("Url") : child;
            if (!Uri.TryCreate(url.Value, UriKind.Absolute, out var address)
                || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{url.Path}: '{url.Value}' is not an absolute http:// or https:// URL");
                continue;
            }

            // The same node twice would silently get twice the traffic.
            var duplicate = nodes.Find(node => node.Address == address);
            if (duplicate is not null)
            {
                failures.Add($"{url.Path}: '{url.Value}' is already {section.Path}:{duplicate.Key}");
                continue;
            }

            var name = named ? child.GetSection("Name") : null;
            if (name is not null && !IsNodeName(name.Value))
            {
                failures.Add(string.IsNullOrEmpty(name.Value)
                    ? $"{name.Path} is required"
                    : $"{name.Path}: '{name.Value}' is not a node name (letters, digits, '-', '_' and '.')");
                continue;
            }
            var nodeName = name?.Value ?? $"node-{child.Key}";
            var sameName = nodes.Find(node => string.Equals(node.Name, nodeName, StringComparison.OrdinalIgnoreCase));
            if (sameName is not null)
            {
                failures.Add($"{name?.Path ?? child.Path}: the name '{nodeName}' is already {section.Path}:{sameName.Key}");
                continue;
            }

            nodes.Add(new OriginNode(child.Key, nodeName, address));
        }

        return nodes;
    }

    /// <summary>Whether <paramref name="name"/> can name a node: it travels in URL paths (<c>/v1/nodes/primary/primary-1</c>).</summary>
    public static bool IsNodeName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
