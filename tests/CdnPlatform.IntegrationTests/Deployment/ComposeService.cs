using YamlDotNet.RepresentationModel;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>One service of docker-compose.yml as Compose reads it: merge keys resolved, variables substituted.</summary>
/// <param name="Definition">The service's mapping, for keys the fields below do not cover.</param>
/// <param name="Environment">Its variables, whether written as a mapping or as <c>NAME=value</c> items.</param>
/// <param name="DependsOn">Each service it waits for, with the condition (<c>service_started</c> for the short form).</param>
/// <param name="Networks">The networks it joins, with its fixed IPv4 address there (null: one Docker picks).</param>
public sealed record ComposeService(
    string Name,
    YamlMappingNode Definition,
    string? Image,
    ComposeBuild? Build,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ComposeMount> Volumes,
    ComposeHealthcheck? Healthcheck,
    string? Restart,
    IReadOnlyDictionary<string, string> DependsOn,
    IReadOnlyDictionary<string, string?> Networks,
    IReadOnlyList<string> Ports);
