using System.Text.RegularExpressions;
using CdnPlatform.IntegrationTests.Deployment;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static CdnPlatform.IntegrationTests.Deployment.YamlDocuments;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// deploy/k8s/ (the edges, and each datacenter's nodes and gateways) holds objects Kubernetes accepts whose
/// selectors, probes and budgets fit together, and gives every container a configuration its host starts with.
/// No cluster runs here: the manifests are read with a YAML parser.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const int HttpPort = 8080;

    private static readonly Lazy<KubernetesManifests> Loaded = new(() => KubernetesManifests.Load());

    private static KubernetesManifests Manifests => Loaded.Value;

    [Fact]
    public void EveryDocument_HasAnApiVersionAndKindKubernetesServes_AndAUniqueName()
    {
        var served = new Dictionary<string, string>
        {
            ["Deployment"] = "apps/v1", ["StatefulSet"] = "apps/v1", ["Service"] = "v1", ["ConfigMap"] = "v1", ["PodDisruptionBudget"] = "policy/v1",
        };

        Assert.NotEmpty(Manifests.Objects);
        foreach (var item in Manifests.Objects)
        {
            Assert.True(served.TryGetValue(item.Kind, out var apiVersion), $"{item.File}: kind '{item.Kind}' ({item.Name})");
            Assert.Equal(apiVersion, item.ApiVersion);
            Assert.Matches(DnsLabel(), item.Name);
        }
        Assert.All(Manifests.Objects.GroupBy(o => (o.Kind, o.Name)), g => Assert.True(g.Count() == 1, $"{g.Key} is defined {g.Count()} times"));
    }

    [Fact]
    public void EveryWorkload_SelectsItsOwnPods_AndIsReadyOnlyWhenItsHealthzSaysSo()
    {
        Assert.NotEmpty(Manifests.Workloads);
        foreach (var workload in Manifests.Workloads)
        {
            Assert.True(workload.Selects(workload.Selector), $"{workload.Name}: its selector does not match its pods' labels");
            Assert.Single(Manifests.Workloads, other => other.Selects(workload.Selector));
            foreach (var container in workload.Containers)
            {
                var readiness = At(At(container, "readinessProbe"), "httpGet");
                Assert.True(readiness is not null, $"{workload.Name}: no readiness probe over HTTP");
                Assert.Equal("/healthz", Text(At(readiness, "path")));
                Assert.Equal(HttpPort, ContainerPort(workload, Text(At(readiness, "port"))));
                Assert.NotNull(At(container, "livenessProbe"));
            }
        }
    }

    [Fact]
    public void EveryWorkload_HasAServiceAndADisruptionBudget_ThatSelectIt()
    {
        foreach (var workload in Manifests.Workloads)
        {
            var services = Manifests.OfKind("Service").Where(s => workload.Selects(s.Selector)).ToList();
            var budget = Assert.Single(Manifests.OfKind("PodDisruptionBudget"), b => workload.Selects(b.Selector));

            Assert.NotEmpty(services);
            var minAvailable = int.Parse(Text(At(budget.Spec, "minAvailable")) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(minAvailable, 1, workload.Replicas);
            // Several pods: a drain may take one at a time. One (an edge per POP): it waits for someone to move it.
            Assert.True(workload.Replicas == 1 || minAvailable < workload.Replicas, $"{budget.Name} lets no pod of {workload.Name} go");
        }
        foreach (var selecting in Manifests.OfKind("Service").Concat(Manifests.OfKind("PodDisruptionBudget")))
        {
            var workload = Assert.Single(Manifests.Workloads, w => w.Selects(selecting.Selector));
            foreach (var port in Items(At(selecting.Spec, "ports")))
            {
                Assert.Equal(HttpPort, ContainerPort(workload, Text(At(port, "targetPort")) ?? Text(At(port, "port"))));
            }
        }
    }

    [Fact]
    public void StatefulSets_NameAHeadlessServiceOfTheirOwn()
    {
        foreach (var set in Manifests.OfKind("StatefulSet"))
        {
            var service = Assert.Single(Manifests.OfKind("Service"), s => s.Name == Text(At(set.Spec, "serviceName")));
            Assert.Equal("None", Text(At(service.Spec, "clusterIP")));
            Assert.True(set.Selects(service.Selector));
        }
    }

    [Fact]
    public void EveryContainer_StartsWithTheConfigurationItIsGiven_AndReadsEveryKeyOfIt()
    {
        var hosts = Manifests.Hosts().ToList();
        var problems = hosts.SelectMany(h => h.Host.Problems().Select(p => $"{h.Host.Name}: {p}")).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(3, hosts.Count(h => h.Host.Kind == HostKind.Edge));
        Assert.Equal(6, hosts.Count(h => h.Host.Kind == HostKind.Origin));
        Assert.Equal(4, hosts.Count(h => h.Host.Kind == HostKind.OriginGateway));
    }

    [Fact]
    public void EveryEnvironmentValue_IsAString_AndEveryVolumeAndConfigMapExists()
    {
        foreach (var workload in Manifests.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                foreach (var variable in Items(At(container, "env")))
                {
                    // Kubernetes refuses `value: 8080` or `value: true`: an env value is a string.
                    Assert.False(At(variable, "value") is YamlScalarNode { Style: ScalarStyle.Plain, Value: var value } && YamlTyped().IsMatch(value ?? ""),
                        $"{workload.Name}: {Text(At(variable, "name"))}'s value is not a string; quote it");
                }
                foreach (var mount in Items(At(container, "volumeMounts")))
                {
                    Assert.Contains(Items(At(workload.PodSpec, "volumes")), v => Text(At(v, "name")) == Text(At(mount, "name")));
                }
            }
            foreach (var volume in Items(At(workload.PodSpec, "volumes")))
            {
                var configMap = Text(At(At(volume, "configMap"), "name"));
                Assert.True(configMap is null || Manifests.OfKind("ConfigMap").Any(c => c.Name == configMap), $"{workload.Name}: no ConfigMap '{configMap}'");
            }
        }
    }

    [Fact]
    public void EachDatacentersGateways_BalanceItsThreeNodes_ByThePodsOwnNames()
    {
        var hosts = Manifests.Hosts().ToList();
        foreach (var datacenter in new[] { "primary", "dr" })
        {
            var nodes = hosts.Where(h => h.Host.Kind == HostKind.Origin && h.Host.Origin.Datacenter == datacenter).ToList();
            var gateways = hosts.Where(h => h.Host.Kind == HostKind.OriginGateway && h.Host.Gateway.Datacenter == datacenter).ToList();

            Assert.Equal(3, nodes.Count);
            Assert.Equal(2, gateways.Count);
            // A node names itself after its pod, and the gateways know it by that name at its stable address.
            Assert.All(nodes, n => Assert.Equal(n.Pod, n.Host.Origin.Node));
            foreach (var gateway in gateways)
            {
                Assert.Equal(nodes.Select(n => n.Pod), gateway.Host.Gateway.Nodes.Select(n => n.Name));
                foreach (var node in nodes)
                {
                    var serviceName = Text(At(node.Workload.Spec, "serviceName"));
                    Assert.Contains(gateway.Host.Gateway.Nodes, n => n.Name == node.Pod && n.Address == new Uri($"http://{node.Pod}.{serviceName}:{HttpPort}/"));
                }
            }
            Assert.All(nodes, n => Assert.Equal($"redis-{datacenter}:6379", n.Host.Origin.Redis));
        }
    }

    [Fact]
    public void TheEdges_AreAmsNycSgp_AndResolveTheirOriginThroughDns()
    {
        var edges = Manifests.Hosts().Where(h => h.Host.Kind == HostKind.Edge).Select(h => h.Host.Edge).ToList();

        Assert.Equal(["ams", "nyc", "sgp"], edges.Select(e => e.Name).Order());
        Assert.All(edges, e => Assert.True(e.Dns.Enabled));
        Assert.All(edges.SelectMany(e => e.Sites), s => Assert.StartsWith("origin.", new Uri(Assert.Single(s.Origins)).Host));
        Assert.All(edges.SelectMany(e => e.Sites), s => Assert.StartsWith("standby.", new Uri(s.FailoverOrigin).Host));
    }

    [Theory]
    [InlineData("deploy/k8s/edge.yaml", "\"Resolvers\"", "\"Resolver\"", "Edge:Dns:Resolver")]
    [InlineData("deploy/k8s/origin-dr.yaml", "name: Origin__Purge__Site", "name: Origin__Purge__Sites", "Origin:Purge:Sites")]
    [InlineData("deploy/k8s/origin-primary.yaml", "\"MaxRetries\"", "\"MaxRetry\"", "Gateway:MaxRetry")]
    public void AMisspeltKey_FailsTheCheck_NamingIt(string file, string written, string misspelt, string key)
    {
        var original = RepositoryFiles.Read(file);
        Assert.Contains(written, original);
        var manifests = KubernetesManifests.Load(path => path == file ? original.Replace(written, misspelt, StringComparison.Ordinal) : RepositoryFiles.Read(path));

        var problems = manifests.Hosts().SelectMany(h => h.Host.Problems()).ToList();

        Assert.Contains(problems, p => p.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>The container port <paramref name="port"/> names (by name or number) on the workload's pods.</summary>
    private static int ContainerPort(KubernetesObject workload, string? port)
    {
        var ports = workload.Containers.SelectMany(c => Items(At(c, "ports")))
            .Select(p => (Name: Text(At(p, "name")), Number: int.Parse(Text(At(p, "containerPort"))!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var found = ports.Where(p => p.Name == port || p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == port).ToList();
        Assert.True(found.Count == 1, $"{workload.Name}: port '{port}' is none of its containers' ports");
        return found[0].Number;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    // What a YAML 1.1 parser (Kubernetes' own) reads as a number, boolean or null rather than a string.
    [GeneratedRegex(@"^([-+]?[0-9][0-9_.]*|true|false|yes|no|on|off|y|n|null|~)$", RegexOptions.IgnoreCase)]
    private static partial Regex YamlTyped();
}
