using System.Net;
using YamlDotNet.RepresentationModel;
using static CdnPlatform.IntegrationTests.Deployment.YamlDocuments;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml read the way <c>docker compose config</c> reads it: one YAML document, anchors and merge keys
/// resolved, <c>${VAR…}</c> substituted from the environment given, each service's fields in one form whichever of
/// Compose's forms the file uses.
/// </summary>
public sealed class ComposeFile
{
    private ComposeFile(YamlMappingNode root, IReadOnlyDictionary<string, ComposeService> services,
        IReadOnlyDictionary<string, IReadOnlyList<ComposeSubnet>> networks, IReadOnlyList<string> volumes, IReadOnlyDictionary<string, ComposeVariable> variables)
    {
        Root = root;
        Services = services;
        Networks = networks;
        Volumes = volumes;
        Variables = variables;
    }

    public YamlMappingNode Root { get; }

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    /// <summary>The networks declared at the top level, with their address plans.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ComposeSubnet>> Networks { get; }

    /// <summary>The named volumes declared at the top level.</summary>
    public IReadOnlyList<string> Volumes { get; }

    public IReadOnlyDictionary<string, ComposeVariable> Variables { get; }

    /// <exception cref="InvalidOperationException">A required variable is not in <paramref name="environment"/>.</exception>
    public static ComposeFile Parse(string yaml, IReadOnlyDictionary<string, string> environment)
    {
        var interpolation = new ComposeInterpolation(environment);
        var root = interpolation.Apply(YamlDocuments.Load(yaml).Single()) as YamlMappingNode
            ?? throw new InvalidDataException("docker-compose.yml is not a mapping");
        var services = Keys(At(root, "services")).ToDictionary(name => name, name => Service(name, At(At(root, "services"), name)!));
        var networks = Keys(At(root, "networks")).ToDictionary(name => name, name => Subnets(At(At(root, "networks"), name)));
        return new ComposeFile(root, services, networks, [.. Keys(At(root, "volumes"))], interpolation.Variables);
    }

    private static ComposeService Service(string name, YamlNode node)
    {
        var definition = node as YamlMappingNode ?? throw new InvalidDataException($"services.{name} is not a mapping");
        return new ComposeService(
            name,
            definition,
            Text(At(node, "image")),
            Build(At(node, "build")),
            Words(At(node, "command")),
            Environment(At(node, "environment")),
            [.. Items(At(node, "volumes")).Select(Mount)],
            Healthcheck(At(node, "healthcheck")),
            Text(At(node, "restart")),
            DependsOn(At(node, "depends_on")),
            ServiceNetworks(At(node, "networks")),
            [.. Items(At(node, "ports")).Select(Port)]);
    }

    private static ComposeBuild? Build(YamlNode? node) => node switch
    {
        null => null,
        YamlScalarNode => new ComposeBuild(Text(node)!, "Dockerfile", new Dictionary<string, string>()),
        _ => new ComposeBuild(Text(At(node, "context")) ?? ".",
            Path.Combine(Text(At(node, "context")) ?? ".", Text(At(node, "dockerfile")) ?? "Dockerfile").Replace('\\', '/').TrimStart('.', '/'),
            Environment(At(node, "args"))),
    };

    // Compose splits a string command as a shell would; these files use no quoting inside one.
    private static IReadOnlyList<string> Words(YamlNode? node) => node is YamlScalarNode
        ? (Text(node) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
        : [.. Items(node).Select(item => Text(item) ?? "")];

    private static IReadOnlyDictionary<string, string> Environment(YamlNode? node) => node is YamlSequenceNode
        ? Items(node).Select(item => Text(item) ?? "").ToDictionary(item => item.Split('=', 2)[0], item => item.Contains('=') ? item.Split('=', 2)[1] : "")
        : Keys(node).ToDictionary(key => key, key => Text(At(node, key)) ?? "");

    private static ComposeMount Mount(YamlNode node)
    {
        if (node is YamlMappingNode)
        {
            return new ComposeMount(Text(At(node, "source")) ?? "", Text(At(node, "target")) ?? "", Text(At(node, "read_only")) == "true");
        }
        var parts = (Text(node) ?? "").Split(':');
        return parts.Length == 1 ? new ComposeMount("", parts[0], false) : new ComposeMount(parts[0], parts[1], parts.Length > 2 && parts[2].Split(',').Contains("ro"));
    }

    private static ComposeHealthcheck? Healthcheck(YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }
        var test = At(node, "test");
        IReadOnlyList<string> command = test is YamlScalarNode ? ["CMD-SHELL", Text(test) ?? ""] : Words(test);
        return new ComposeHealthcheck(command, Text(At(node, "interval")), Text(At(node, "timeout")), Text(At(node, "retries")),
            Text(At(node, "start_period")), Text(At(node, "disable")) == "true" || command is ["NONE", ..]);
    }

    private static IReadOnlyDictionary<string, string> DependsOn(YamlNode? node) => node is YamlSequenceNode
        ? Items(node).ToDictionary(item => Text(item) ?? "", _ => "service_started")
        : Keys(node).ToDictionary(key => key, key => Text(At(At(node, key), "condition")) ?? "service_started");

    private static IReadOnlyDictionary<string, string?> ServiceNetworks(YamlNode? node) => node is YamlSequenceNode
        ? Items(node).ToDictionary(item => Text(item) ?? "", _ => (string?)null)
        : Keys(node).ToDictionary(key => key, key => Text(At(At(node, key), "ipv4_address")));

    private static string Port(YamlNode node) => node is YamlMappingNode
        ? $"{Text(At(node, "published"))}:{Text(At(node, "target"))}/{Text(At(node, "protocol")) ?? "tcp"}"
        : Text(node) ?? "";

    private static IReadOnlyList<ComposeSubnet> Subnets(YamlNode? network) =>
    [
        .. Items(At(At(network, "ipam"), "config")).Select(config => new ComposeSubnet(
            IPNetwork.Parse(Text(At(config, "subnet")) ?? throw new InvalidDataException("an ipam config without a subnet")),
            Text(At(config, "ip_range")) is { } range ? IPNetwork.Parse(range) : null,
            Text(At(config, "gateway")) is { } gateway ? IPAddress.Parse(gateway) : null)),
    ];
}
