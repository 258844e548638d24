using YamlDotNet.RepresentationModel;
using static CdnPlatform.IntegrationTests.Deployment.YamlDocuments;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// deploy/k8s/ read as <c>kubectl apply -f deploy/k8s/</c> would send it, and the configuration each container's
/// process would read: its ConfigMap mounted as <c>/app/appsettings.json</c>, then its <c>env</c>.
/// </summary>
public sealed class KubernetesManifests
{
    public const string Folder = "deploy/k8s";

    /// <summary>The secret every manifest reads its keys from, with stand-ins for them (the README's <c>kubectl create secret</c>).</summary>
    public const string SecretName = "cdn-secrets";

    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["gateway-key"] = ComposeSecrets.GatewayKey,
        ["cms-api-key"] = ComposeSecrets.CmsKey,
        ["shop-purge-key"] = ComposeSecrets.ShopPurgeKey,
    };

    /// <summary>The images the README builds, by the host each publishes.</summary>
    public static readonly IReadOnlyDictionary<string, HostKind> Images = new Dictionary<string, HostKind>
    {
        ["cdnplatform/edge"] = HostKind.Edge,
        ["cdnplatform/origin-node"] = HostKind.Origin,
        ["cdnplatform/origin-gateway"] = HostKind.OriginGateway,
    };

    private KubernetesManifests(IReadOnlyList<KubernetesObject> objects) => Objects = objects;

    public IReadOnlyList<KubernetesObject> Objects { get; }

    public IEnumerable<KubernetesObject> Workloads => Objects.Where(o => o.IsWorkload);

    public IEnumerable<KubernetesObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <param name="read">Reads a repository file by its path from the root; a test passes one that edits a file on the way.</param>
    public static KubernetesManifests Load(Func<string, string>? read = null)
    {
        read ??= RepositoryFiles.Read;
        var files = Directory.GetFiles(Path.Combine(RepositoryFiles.Root, Folder), "*.yaml").Order()
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/'));
        var objects = files.SelectMany(file => YamlDocuments.Load(read(file))
            // A file's comment before its first "---" is no document.
            .Where(document => document is YamlMappingNode { Children.Count: > 0 })
            .Select(document => new KubernetesObject(file, Text(At(document, "apiVersion")) ?? "", Text(At(document, "kind")) ?? "",
                Text(At(At(document, "metadata"), "name")) ?? "", (YamlMappingNode)document)));
        return new KubernetesManifests([.. objects]);
    }

    /// <summary>Every container of every pod the workloads make, with the configuration its process reads.</summary>
    public IEnumerable<(KubernetesObject Workload, string Pod, HostSettings Host)> Hosts() =>
        from workload in Workloads
        from pod in workload.PodNames
        from container in workload.Containers
        select (workload, pod, HostOf(workload, pod, container));

    private HostSettings HostOf(KubernetesObject workload, string pod, YamlNode container)
    {
        var image = Text(At(container, "image")) ?? "";
        var kind = Images.TryGetValue(image.Split(':')[0], out var known) ? known : throw new InvalidDataException($"{workload.Name}: the image '{image}' is none the README builds");
        var environment = Items(At(container, "env")).ToDictionary(e => Text(At(e, "name")) ?? "", e => ValueOf(e, pod));
        var settings = Items(At(container, "volumeMounts")).Where(m => Text(At(m, "mountPath")) == ComposeDeployment.SettingsTarget).Select(mount =>
        {
            var volume = Items(At(workload.PodSpec, "volumes")).SingleOrDefault(v => Text(At(v, "name")) == Text(At(mount, "name")))
                ?? throw new InvalidDataException($"{workload.Name} mounts the volume '{Text(At(mount, "name"))}', which it does not have");
            var configMap = OfKind("ConfigMap").SingleOrDefault(c => c.Name == Text(At(At(volume, "configMap"), "name")))
                ?? throw new InvalidDataException($"{workload.Name}: its settings come from no ConfigMap of {Folder}");
            return Text(At(At(configMap.Node, "data"), Text(At(mount, "subPath")) ?? "appsettings.json"))
                ?? throw new InvalidDataException($"{configMap.Name} has no {Text(At(mount, "subPath"))}");
        }).ToList();
        var name = $"{pod}/{Text(At(container, "name"))}";
        return new HostSettings(name, kind, HostSettings.Read(settings, environment, []), HostSettings.ProcessVariablesOf(environment.Keys));
    }

    private static string ValueOf(YamlNode variable, string pod)
    {
        if (At(variable, "valueFrom") is not { } from)
        {
            return Text(At(variable, "value")) ?? "";
        }
        if (At(from, "secretKeyRef") is { } secret)
        {
            Assert.Equal(SecretName, Text(At(secret, "name")));
            var key = Text(At(secret, "key")) ?? "";
            return Secrets.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"the secret key '{key}' is not among {string.Join(", ", Secrets.Keys)}");
        }
        return Text(At(At(from, "fieldRef"), "fieldPath")) switch
        {
            "metadata.name" => pod,
            "metadata.namespace" => "default",
            var path => throw new InvalidDataException($"env from '{path}' is not one the tests stand in for"),
        };
    }
}
