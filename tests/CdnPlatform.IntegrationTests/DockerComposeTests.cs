using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Zones;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.IntegrationTests.Deployment;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// docker-compose.yml, read with a YAML parser as Compose reads it, gives every process a configuration its host
/// starts with (and no key it would ignore), and wires the design: three edges, two datacenters of two gateways and
/// three nodes, a Redis per datacenter with DR replicating the primary, the control plane on a Redis of its own, and
/// the edges finding the active datacenter through the control plane's DNS. No Docker engine runs here, so this is
/// how the file is checked.
/// </summary>
public sealed partial class DockerComposeTests
{
    /// <summary>Every image's port (the Dockerfiles' <c>--urls http://0.0.0.0:8080</c>).</summary>
    private const int HttpPort = 8080;

    private static readonly Lazy<ComposeDeployment> Loaded = new(() => ComposeDeployment.Load(ComposeSecrets.Environment));

    private static ComposeDeployment Deployment => Loaded.Value;

    private static DeployedHost ControlHost => Deployment.OfKind(HostKind.Control).Single();

    [Fact]
    public void EveryHost_StartsWithTheConfigurationComposeGivesIt_AndReadsEveryKeyOfIt()
    {
        var problems = Deployment.Hosts.SelectMany(h => h.Problems().Select(p => $"{h.Name}: {p}")).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(3, Deployment.OfKind(HostKind.Redis).Count());
        Assert.Equal(3, Deployment.OfKind(HostKind.Edge).Count());
        Assert.Equal(4, Deployment.OfKind(HostKind.OriginGateway).Count());
        Assert.Equal(6, Deployment.OfKind(HostKind.Origin).Count());
        Assert.Single(Deployment.OfKind(HostKind.Control));
    }

    [Fact]
    public void EveryService_HasAHealthcheck_AndARestartPolicy()
    {
        foreach (var host in Deployment.Hosts)
        {
            var check = host.Service.Healthcheck;
            Assert.True(check is { Disabled: false, Test: ["CMD" or "CMD-SHELL", _, ..] }, $"{host.Name} has no healthcheck test");
            Assert.True(host.Service.Restart is "unless-stopped" or "always", $"{host.Name}: restart is '{host.Service.Restart}', not unless-stopped or always");
            var test = string.Join(' ', check!.Test);
            if (host.Kind == HostKind.Redis)
            {
                Assert.Contains("redis-cli", test);
            }
            else
            {
                // Each host's readiness: a node's says its Redis answers and its content is loaded.
                Assert.Contains($"/dev/tcp/127.0.0.1/{HttpPort}", test);
                Assert.Contains("GET /healthz", test);
            }
        }
    }

    [Fact]
    public void EveryDependency_IsAServiceOfTheFile_WithoutCycles_AndWaitsForHealthWhereItMatters()
    {
        foreach (var host in Deployment.Hosts)
        {
            foreach (var (target, condition) in host.Service.DependsOn)
            {
                Assert.True(Deployment.File.Services.ContainsKey(target), $"{host.Name} depends on '{target}', which is no service");
                Assert.Contains(condition, new[] { "service_started", "service_healthy", "service_completed_successfully" });
                Assert.True(condition != "service_healthy" || Deployment.File.Services[target].Healthcheck is not null, $"{host.Name} waits for {target}'s health, which it has no check of");
            }
        }
        AssertNoCycle();

        // A node seeds and reads its datacenter's Redis at start (a DR node: once the replica holds the primary's data).
        foreach (var node in Deployment.OfKind(HostKind.Origin))
        {
            AssertWaitsForHealth(node, ServiceOf(node.Origin.Redis!));
        }
        // The control plane reads its saved failover state and the purge log at start.
        AssertWaitsForHealth(ControlHost, ServiceOf(ControlHost.Cluster.Redis!));
        // An edge subscribes to the purge log, and resolves its origin through the control plane's DNS.
        foreach (var edge in Deployment.OfKind(HostKind.Edge))
        {
            AssertWaitsForHealth(edge, ServiceOf(edge.Cluster.Redis!));
            AssertWaitsForHealth(edge, ControlHost.Name);
        }
        AssertWaitsForHealth(Deployment["redis-dr"], "redis-primary");
    }

    [Fact]
    public void EveryKey_IsOneComposeKnows_AndEveryMountedFileAndVolumeExists()
    {
        string[] topLevel = ["version", "name", "services", "networks", "volumes", "configs", "secrets"];
        string[] serviceKeys = ["build", "image", "command", "entrypoint", "environment", "env_file", "volumes", "healthcheck", "restart", "depends_on",
            "networks", "ports", "expose", "deploy", "labels", "logging", "user", "working_dir", "stop_grace_period", "ulimits", "sysctls", "cap_add"];
        string[] healthcheckKeys = ["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"];

        Assert.All(YamlDocuments.Keys(Deployment.File.Root), key => Assert.True(topLevel.Contains(key) || key.StartsWith("x-", StringComparison.Ordinal), $"top-level key '{key}'"));
        foreach (var host in Deployment.Hosts)
        {
            Assert.All(YamlDocuments.Keys(host.Service.Definition), key => Assert.True(serviceKeys.Contains(key), $"{host.Name}: '{key}' is no service key of Compose"));
            Assert.All(YamlDocuments.Keys(YamlDocuments.At(host.Service.Definition, "healthcheck")),
                key => Assert.True(healthcheckKeys.Contains(key), $"{host.Name}: '{key}' is no healthcheck key of Compose"));
            foreach (var mount in host.Service.Volumes)
            {
                Assert.True(mount.IsBind ? File.Exists(Path.Combine(RepositoryFiles.Root, mount.Source)) : Deployment.File.Volumes.Contains(mount.Source),
                    $"{host.Name} mounts '{mount.Source}', which is {(mount.IsBind ? "no file of the repository" : "no volume of the file")}");
            }
            Assert.All(host.Service.Networks.Keys, network => Assert.True(network == "default" || Deployment.File.Networks.ContainsKey(network), $"{host.Name} joins '{network}'"));
            if (host.Service.Build is { } build)
            {
                Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, build.Dockerfile)), $"{host.Name} builds from '{build.Dockerfile}', which does not exist");
            }
        }
    }

    [Fact]
    public void ThreeEdges_AmsNycSgp_AreTheEdgesTheControlPlaneExpects_AtTheirAddresses()
    {
        var edges = Deployment.OfKind(HostKind.Edge).ToList();
        var control = ControlHost.Control;

        Assert.Equal(["ams", "nyc", "sgp"], edges.Select(e => e.Edge.Name).Order());
        Assert.Equal(["ams", "nyc", "sgp"], control.Edges.Select(e => e.Name).Order());
        foreach (var edge in edges)
        {
            Assert.Equal($"edge-{edge.Edge.Name}", edge.Name);
            // Where the control plane probes it and what www. answers with: its fixed address.
            var expected = control.Edges.Single(e => e.Name == edge.Edge.Name);
            Assert.Equal(new Uri($"http://{edge.Address()}:{HttpPort}"), new Uri(expected.Url));
        }
    }

    [Fact]
    public void EachDatacenter_HasTwoGateways_OverThreeNodes_AsTheControlPlaneDrainsThem()
    {
        var control = ControlHost.Control;
        Assert.Equal(["primary", "dr"], control.Datacenters.Select(d => d.Name));
        foreach (var datacenter in control.Datacenters)
        {
            var gateways = Deployment.OfKind(HostKind.OriginGateway).Where(g => g.Gateway.Datacenter == datacenter.Name).ToList();
            var nodes = Deployment.OfKind(HostKind.Origin).Where(n => n.Origin.Datacenter == datacenter.Name).ToList();

            Assert.Equal(2, gateways.Count);
            Assert.Equal(datacenter.Gateways.Select(g => new Uri(g)).OrderBy(u => u.ToString()), gateways.Select(g => new Uri($"http://{g.Address()}:{HttpPort}")).OrderBy(u => u.ToString()));
            Assert.Equal(3, nodes.Count);
            Assert.Equal(datacenter.Nodes.Order(), nodes.Select(n => n.Origin.Node).Order());
            foreach (var gateway in gateways)
            {
                // The pair shares one config, the datacenter's.
                Assert.Contains(gateway.Service.Volumes, m => m.Target == ComposeDeployment.SettingsTarget && m.Source == $"./origin/config/gateway-{datacenter.Name}.json");
                // Drains go by name: the gateway's names are the nodes' own, each at that node's service.
                Assert.Equal(datacenter.Nodes, gateway.Gateway.Nodes.Select(n => n.Name));
                foreach (var node in gateway.Gateway.Nodes)
                {
                    var service = nodes.Single(n => n.Origin.Node == node.Name);
                    Assert.Equal(new Uri($"http://{service.Name}:{HttpPort}/"), node.Address);
                }
            }
            // The datacenter's Redis, as the control plane probes and promotes it, is the one its nodes use.
            Assert.All(nodes, n => Assert.Equal(datacenter.Redis, n.Origin.Redis));
        }
        Assert.Equal(4, control.Datacenters.Sum(d => d.Gateways.Count));
        Assert.Equal(6, control.Datacenters.Sum(d => d.Nodes.Count));
    }

    [Fact]
    public void RedisDr_ReplicatesRedisPrimary_AndThePurgeLogAndFailoverStateLiveInNeitherDatacenter()
    {
        var control = ControlHost.Control;
        var primaryRedis = ServiceOf(control.Datacenters.Single(d => d.Name == "primary").Redis);
        var drRedis = ServiceOf(control.Datacenters.Single(d => d.Name == "dr").Redis);
        var controlRedis = ServiceOf(ControlHost.Cluster.Redis!);

        Assert.Equal(("redis-primary", "redis-dr", "redis-control"), (primaryRedis, drRedis, controlRedis));
        Assert.Equal<(string, string)?>((primaryRedis, "6379"), ReplicaOf(Deployment[drRedis].Service));
        Assert.Null(ReplicaOf(Deployment[primaryRedis].Service));
        Assert.Null(ReplicaOf(Deployment[controlRedis].Service));
        // A switch saves each datacenter Redis's new role in its file (CONFIG REWRITE): that file is what every start
        // reads, seeded only when absent, or a restart would undo a failover.
        foreach (var store in new[] { primaryRedis, drRedis })
        {
            var script = Assert.Single(Deployment[store].Service.Command.Skip(2));
            Assert.Equal(["sh", "-c"], Deployment[store].Service.Command.Take(2));
            Assert.StartsWith("test -f /data/redis.conf || printf ", script);
            Assert.EndsWith("; exec docker-entrypoint.sh redis-server /data/redis.conf", script);
        }
        foreach (var redis in Deployment.OfKind(HostKind.Redis))
        {
            Assert.Equal("yes", Argument(redis.Service, "--appendonly"));
            Assert.Contains(redis.Service.Volumes, m => m.Target == "/data" && !m.IsBind);
        }
        // An accepted purge, and every step of a switch, survive a crash of the purge log's Redis.
        Assert.Equal("always", Argument(Deployment[controlRedis].Service, "--appendfsync"));

        Assert.Equal("redis", ControlHost.Cluster.Transport);
        Assert.All(Deployment.OfKind(HostKind.Edge), edge => Assert.Equal(("redis", controlRedis), (edge.Cluster.Transport, ServiceOf(edge.Cluster.Redis!))));
        Assert.DoesNotContain(Deployment.OfKind(HostKind.Origin), n => ServiceOf(n.Origin.Redis!) == controlRedis);
    }

    [Fact]
    public void Edges_ResolveTheirOrigin_ThroughTheControlPlanesDns()
    {
        var control = ControlHost.Control;

        Assert.NotEqual(0, control.Dns.Port);
        // The address the control plane listens on and names as the zone's server is its own fixed one.
        Assert.Equal(ControlHost.Address(), IPAddress.Parse(control.Dns.Address));
        Assert.Contains(ControlHost.Service.Ports, p => p.EndsWith($":{control.Dns.Port}/udp", StringComparison.Ordinal));
        Assert.Contains(ControlHost.Service.Ports, p => p.EndsWith($":{control.Dns.Port}/tcp", StringComparison.Ordinal));
        foreach (var edge in Deployment.OfKind(HostKind.Edge))
        {
            var options = edge.Edge;
            Assert.Equal([new IPEndPoint(IPAddress.Parse(control.Dns.Address), control.Dns.Port)], options.Dns.ResolverEndpoints());
            foreach (var site in options.Sites)
            {
                var zone = control.Sites.Single(s => s.Hosts.Intersect(site.Hosts).Any()).Zone;
                Assert.NotNull(zone);
                Assert.All(site.Origins, o => Assert.Equal(($"origin.{zone}", HttpPort), (new Uri(o).Host, new Uri(o).Port)));
                Assert.Equal(($"standby.{zone}", HttpPort), (new Uri(site.FailoverOrigin).Host, new Uri(site.FailoverOrigin).Port));
            }
        }
    }

    [Fact]
    public void TheZone_NamesTheActiveDatacentersGatewaysAsOrigin_TheOthersAsStandby_AndTheEdgesAsWww()
    {
        var control = ControlHost.Control;
        var active = control.Dns.ActiveDatacenter.Length > 0 ? control.Dns.ActiveDatacenter : control.Datacenters[0].Name;
        IPAddress[] GatewaysOf(Func<string, bool> datacenter) =>
            [.. Deployment.OfKind(HostKind.OriginGateway).Where(g => datacenter(g.Gateway.Datacenter)).Select(g => g.Address()!).OrderBy(a => a.ToString())];
        IPAddress Host(string url) => IPAddress.Parse(new Uri(url).Host);

        foreach (var site in control.Sites)
        {
            Assert.NotNull(site.Zone);
            // Built as the control plane publishes it (SiteDnsService), from the addresses in its config.
            var zone = SiteZone.Build(site.Zone!,
                [.. control.Datacenters.Single(d => d.Name == active).Gateways.Select(Host)],
                [.. control.Edges.Select(e => Host(e.Url))],
                IPAddress.Parse(control.Dns.Address), 1, site.OriginTtlSeconds,
                [.. control.Datacenters.Where(d => d.Name != active).SelectMany(d => d.Gateways).Select(Host)]);

            IPAddress[] Addresses(string name) => [.. zone.At(DomainName.Parse($"{name}.{site.Zone}")).OfType<ARecord>().Select(r => r.Address).OrderBy(a => a.ToString())];
            Assert.Equal(GatewaysOf(dc => dc == active), Addresses("origin"));
            Assert.Equal(GatewaysOf(dc => dc != active), Addresses("standby"));
            Assert.Equal(2, Addresses("origin").Length);
            Assert.NotNull(zone.SteeringAt(DomainName.Parse($"www.{site.Zone}")));
            Assert.Equal(Deployment.OfKind(HostKind.Edge).Select(e => e.Address()!.ToString()).Order(), control.Edges.Select(e => Host(e.Url).ToString()).Order());
        }
    }

    [Fact]
    public void FixedAddresses_LieInTheNetwork_OutsideDockersOwnRange_AndAreUnique()
    {
        var subnets = Deployment.File.Networks["default"];
        var fixedAddresses = Deployment.Hosts.Select(h => (h.Name, Address: h.Address())).Where(h => h.Address is not null).ToList();

        Assert.Equal(1 + 3 + 4, fixedAddresses.Count);
        Assert.Equal(fixedAddresses.Count, fixedAddresses.Select(a => a.Address).Distinct().Count());
        foreach (var (name, address) in fixedAddresses)
        {
            Assert.True(subnets.Any(s => s.Subnet.Contains(address!) && s.IpRange is { } range && !range.Contains(address!) && !address!.Equals(s.Gateway)),
                $"{name}: {address} is not a free fixed address of the network ({string.Join(", ", subnets)})");
        }
    }

    [Fact]
    public void TheNodesPurgeTheirSite_WithAKeyTheControlPlaneKnows_AndTheGatewaysTakeItsDrains()
    {
        var control = ControlHost.Control;
        foreach (var node in Deployment.OfKind(HostKind.Origin))
        {
            var purge = node.Origin.Purge;
            Assert.NotNull(purge);
            Assert.Equal(new Uri($"http://{ControlHost.Name}:{HttpPort}"), purge.ControlUrl);
            var key = control.ApiKeys.SingleOrDefault(k => k.Sha256 == ComposeSecrets.Sha256(purge.ApiKey));
            Assert.True(key is not null, $"{node.Name}: its Origin:Purge:ApiKey is none of Control:ApiKeys");
            Assert.Equal([purge.Site], key.Sites);
            Assert.Equal(["purge"], key.Actions);
            Assert.Equal(ComposeSecrets.CmsKey, node.Origin.CmsApiKey);
        }
        Assert.All(Deployment.OfKind(HostKind.OriginGateway), g => Assert.Equal(control.GatewayKey, g.Gateway.AdminKey));
        Assert.Equal(ComposeSecrets.ApiKey, control.ApiKey);
    }

    [Fact]
    public void RollingDeploys_RestartCommand_NamesEveryNodeByDatacenterAndIndex()
    {
        // README: cdnctl deploy --restart-command "docker compose restart {dc}-node-{index}", index from 1.
        foreach (var datacenter in ControlHost.Control.Datacenters)
        {
            for (var i = 0; i < datacenter.Nodes.Count; i++)
            {
                Assert.Equal(datacenter.Nodes[i], Deployment[$"{datacenter.Name}-node-{i + 1}"].Origin.Node);
            }
        }
    }

    [Theory]
    [InlineData("CDN_API_KEY")]
    [InlineData("CDN_GATEWAY_KEY")]
    [InlineData("CMS_API_KEY")]
    [InlineData("SHOP_PURGE_KEY")]
    [InlineData("SHOP_PURGE_KEY_SHA256")]
    public void Compose_RefusesToStart_WithoutEverySecret(string variable)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => ComposeDeployment.Load(ComposeSecrets.Without(variable)));

        Assert.Contains(variable, refusal.Message);
        Assert.Equal(ComposeSecrets.Environment.Keys.Order(), Deployment.File.Variables.Values.Where(v => v.Required).Select(v => v.Name).Order());
    }

    [Fact]
    public void EveryVariable_IsExplainedInTheReadme_AndNoneIsLeftEmpty()
    {
        var readme = RepositoryFiles.Read("README.md");
        var start = readme.IndexOf("## Deploying on real hosts", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no 'Deploying on real hosts' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        Assert.All(Deployment.File.Variables.Values, v => Assert.Contains(v.Name, section));
        Assert.All(Deployment.File.Variables.Values, v => Assert.False(v.Unset, $"{v.Name} is used without a default and is not set"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public void AutomaticFailover_IsOffUnlessTheEnvironmentTurnsItOn(string? setting, bool automatic)
    {
        var deployment = setting is null ? Deployment : ComposeDeployment.Load(ComposeSecrets.With("CDN_AUTOMATIC_FAILOVER", setting));
        var control = deployment.OfKind(HostKind.Control).Single();

        Assert.Empty(control.Problems());
        Assert.Equal(automatic, control.Control.Failover.Automatic);
    }

    /// <summary>Each edit misspells one key, where the hosts' own binding would ignore it; the checks must name it.</summary>
    [Theory]
    [InlineData("docker-compose.yml", "  edge-ams:\n", "  edge-ams:\n    environment: { Edge__Sitez__0__Name: shop }\n", "edge-ams", "Edge:Sitez")]
    [InlineData("docker-compose.yml", "Control__Failover__Automatic:", "Control__Failover__Automatik:", "control", "Control:Failover:Automatik")]
    [InlineData("docker-compose.yml", "Origin__CmsApiKey:", "Origin__CmsKey:", "dr-node-3", "Origin:CmsKey")]
    [InlineData("docker-compose.yml", "Gateway__AdminKey:", "Gatway__AdminKey:", "gateway-dr-1", "Gatway")]
    [InlineData("edge/config/nyc.json", "\"Resolvers\"", "\"Resolver\"", "edge-nyc", "Edge:Dns:Resolver")]
    [InlineData("edge/config/sgp.json", "\"FailoverOrigin\"", "\"FailoverOrigins\"", "edge-sgp", "Edge:Sites:0:FailoverOrigins")]
    [InlineData("origin/config/gateway-primary.json", "\"HealthCheckIntervalSeconds\"", "\"HealthCheckIntervalSecond\"", "gateway-primary-2", "Gateway:HealthCheckIntervalSecond")]
    [InlineData("origin/config/gateway-dr.json", "\"Url\": \"http://dr-node-2:8080\"", "\"Url\": \"http://dr-node-2:8080\", \"Weight\": 2", "gateway-dr-2", "Gateway:Nodes:1:Weight")]
    [InlineData("origin/config/control.json", "\"ActiveDatacenter\"", "\"ActiveDc\"", "control", "Control:Dns:ActiveDc")]
    [InlineData("origin/config/control.json", "\"Cluster\": {", "\"Cluster\": { \"Prefix\": \"cdn\",", "control", "Cluster:Prefix")]
    public void AMisspeltKey_FailsTheCheck_NamingIt(string file, string written, string misspelt, string service, string key)
    {
        var original = RepositoryFiles.Read(file);
        Assert.Contains(written, original);
        var deployment = ComposeDeployment.Load(ComposeSecrets.Environment,
            path => path.TrimStart('.', '/') == file ? original.Replace(written, misspelt, StringComparison.Ordinal) : RepositoryFiles.Read(path));

        var problems = deployment[service].Problems();

        Assert.Contains(problems, p => p.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void TheHostsOwnBinding_IgnoresAMisspeltKey_WhichIsWhyTheCheckWalksEveryKey()
    {
        var deployment = ComposeDeployment.Load(ComposeSecrets.Environment,
            path => path == "./edge/config/ams.json" ? RepositoryFiles.Read(path).Replace("\"Resolvers\"", "\"Resolver\"", StringComparison.Ordinal) : RepositoryFiles.Read(path));
        var edge = deployment["edge-ams"];

        // The edge would start, and send its origin names to the system's resolver instead of the control plane.
        Assert.False(EdgeOptions.Bind(edge.Configuration).Dns.Enabled);
        Assert.Contains(edge.Problems(), p => p.Contains("Edge:Dns:Resolver", StringComparison.Ordinal));
    }

    private static string ServiceOf(string redisConfiguration)
    {
        var host = redisConfiguration.Split(',')[0].Split(':')[0];
        Assert.True(Deployment.File.Services.ContainsKey(host), $"'{redisConfiguration}' names no service of the file");
        return host;
    }

    private static void AssertWaitsForHealth(DeployedHost host, string target) =>
        Assert.True(host.Service.DependsOn.GetValueOrDefault(target) == "service_healthy", $"{host.Name} does not wait for {target} to be healthy");

    private static void AssertNoCycle()
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        void Visit(string service)
        {
            Assert.False(path.Contains(service), $"depends_on cycle: {string.Join(" → ", path.Append(service))}");
            if (!done.Add(service))
            {
                return;
            }
            path.Add(service);
            foreach (var target in Deployment.File.Services[service].DependsOn.Keys)
            {
                Visit(target);
            }
            path.RemoveAt(path.Count - 1);
        }
        foreach (var service in Deployment.File.Services.Keys)
        {
            Visit(service);
        }
    }

    /// <summary>
    /// A redis-server setting as the service starts it: <c>--flag value</c> on its command line, or a
    /// <c>flag value</c> line of the configuration file its command seeds (<c>printf '…\n…' &gt; /data/redis.conf</c>).
    /// </summary>
    private static string? Argument(ComposeService service, string flag)
    {
        var words = Words(service);
        return words.SkipWhile(a => a != flag).Skip(1).FirstOrDefault();
    }

    private static List<string> Words(ComposeService service)
    {
        if (service.Command is ["sh", "-c", var script])
        {
            var seeded = SeededFile().Match(script);
            Assert.True(seeded.Success, $"{service.Name}: its command neither runs redis-server with flags nor seeds a configuration file");
            return [.. seeded.Groups[1].Value.Split("\\n", StringSplitOptions.RemoveEmptyEntries).SelectMany(line => ("--" + line).Split(' '))];
        }
        return [.. service.Command.SelectMany(a => a.Split(' '))];
    }

    /// <summary>The primary a redis-server replicates (<c>replicaof host port</c>).</summary>
    private static (string Host, string Port)? ReplicaOf(ComposeService service)
    {
        var words = Words(service).SkipWhile(a => a != "--replicaof").Skip(1).Take(2).ToList();
        return words.Count == 2 ? (words[0], words[1]) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"printf '([^']*)' > /data/redis\.conf")]
    private static partial System.Text.RegularExpressions.Regex SeededFile();
}
