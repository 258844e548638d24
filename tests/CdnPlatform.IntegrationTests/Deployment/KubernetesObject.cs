using YamlDotNet.RepresentationModel;
using static CdnPlatform.IntegrationTests.Deployment.YamlDocuments;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>One document of a manifest in deploy/k8s/.</summary>
public sealed record KubernetesObject(string File, string ApiVersion, string Kind, string Name, YamlMappingNode Node)
{
    public bool IsWorkload => Kind is "Deployment" or "StatefulSet";

    public YamlNode? Spec => At(Node, "spec");

    public YamlNode? PodSpec => At(At(Spec, "template"), "spec");

    public int Replicas => int.Parse(Text(At(Spec, "replicas")) ?? "1", System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, string> PodLabels => Labels(At(At(At(Spec, "template"), "metadata"), "labels"));

    public IEnumerable<YamlNode> Containers => Items(At(PodSpec, "containers"));

    /// <summary>A Service's <c>spec.selector</c>, or a workload's or budget's <c>spec.selector.matchLabels</c>.</summary>
    public IReadOnlyDictionary<string, string> Selector => Kind == "Service" ? Labels(At(Spec, "selector")) : Labels(At(At(Spec, "selector"), "matchLabels"));

    /// <summary>Whether <paramref name="selector"/> (every label, as Kubernetes matches) picks this workload's pods.</summary>
    public bool Selects(IReadOnlyDictionary<string, string> selector) =>
        IsWorkload && selector.Count > 0 && selector.All(l => PodLabels.GetValueOrDefault(l.Key) == l.Value);

    /// <summary>The names its pods get: a StatefulSet's ordinals, or names of a Deployment's pattern (ReplicaSet hash, random suffix).</summary>
    public IEnumerable<string> PodNames => Enumerable.Range(0, Replicas).Select(i => Kind == "StatefulSet" ? $"{Name}-{i}" : $"{Name}-5d8f7c9b4-x2k7{(char)('a' + i)}");

    public static IReadOnlyDictionary<string, string> Labels(YamlNode? node) => Keys(node).ToDictionary(k => k, k => Text(At(node, k)) ?? "");
}
