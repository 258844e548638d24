using CdnPlatform.Http;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Control.Configuration;

/// <summary>The control plane's settings, bound from the <c>Control</c> section.</summary>
public sealed record ControlOptions
{
    public const string Section = "Control";

    /// <summary>
    /// A single key with every scope (cdnctl up, small setups), presented as <c>Authorization: Bearer …</c>.
    /// Kept only as a hash in memory. Production setups use <see cref="ApiKeys"/>, which hold hashes only.
    /// </summary>
    public string ApiKey { get; init; } = "";

    /// <summary>Keys by their SHA-256, each scoped to sites and actions.</summary>
    public List<ApiKeyOptions> ApiKeys { get; init; } = [];

    /// <summary>Purge requests each key may send per second, sustained.</summary>
    public int PurgeRequestsPerSecond { get; init; } = 200;

    /// <summary>Purge requests a key may send at once before the per-second rate applies.</summary>
    public int PurgeBurst { get; init; } = 400;

    /// <summary>After this long without every edge's acknowledgement a purge's state is <c>partial</c>.</summary>
    public int PurgeAckTimeoutSeconds { get; init; } = 10;

    /// <summary>File that receives one JSON line per purge request (who, what, when, outcome); empty: the log only.</summary>
    public string AuditLogPath { get; init; } = "";

    public List<ControlSiteOptions> Sites { get; init; } = [];

    /// <summary>Every edge expected to acknowledge a purge.</summary>
    public List<ControlEdgeOptions> Edges { get; init; } = [];

    /// <summary>How many purge records <c>GET /v1/purge/{id}</c> can still answer for.</summary>
    public int PurgeHistory { get; init; } = 10_000;

    /// <summary>The datacenters whose nodes <c>/v1/nodes</c> drains; none turns node drains off.</summary>
    public List<ControlDatacenterOptions> Datacenters { get; init; } = [];

    /// <summary>
    /// What the gateways require to change their drains (their <c>Gateway:AdminKey</c>). Its own key, not an API
    /// key: a gateway holding it can drain nodes and nothing else.
    /// </summary>
    public string GatewayKey { get; init; } = "";

    /// <summary>
    /// How often every gateway is told the drains of its datacenter again, so that a gateway that restarted or
    /// missed a change is right again within this long.
    /// </summary>
    public int DrainReassertSeconds { get; init; } = 1;

    /// <summary>The authoritative DNS for the sites' zones; off unless <c>Control:Dns:Port</c> is set.</summary>
    public ControlDnsOptions Dns { get; init; } = new();

    /// <summary>How the datacenters are probed and when one counts as down (<c>Control:Failover</c>).</summary>
    public ControlFailoverOptions Failover { get; init; } = new();

    /// <summary>How often each POP's traffic counters are read (<c>Control:Traffic</c>), for <c>GET /v1/pops</c>.</summary>
    public ControlTrafficOptions Traffic { get; init; } = new();

    /// <summary>How many audit lines the control plane keeps in memory for <c>GET /v1/audit</c> (the file keeps them all).</summary>
    public int AuditHistory { get; init; } = 1000;

    public const int MinApiKeyLength = 16;

    public static ControlOptions Bind(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ControlOptions>() ?? new ControlOptions();
        var failures = options.Validate().ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(ControlOptions), failures);
        }
        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (ApiKey.Length > 0 && ApiKey.Length < MinApiKeyLength)
        {
            yield return $"{Section}:ApiKey must be at least {MinApiKeyLength} characters";
        }
        if (ApiKey.Length == 0 && ApiKeys.Count == 0)
        {
            yield return $"{Section}:ApiKey or {Section}:ApiKeys must give at least one API key";
        }
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var name = $"{Section}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return $"{name}:Name is required";
            }
            if (key.Sha256.Length != 64 || !key.Sha256.All(Uri.IsHexDigit))
            {
                yield return $"{name}:Sha256 must be 64 hex digits (printf %s \"$KEY\" | sha256sum)";
            }
            if (key.Sites.Count == 0)
            {
                yield return $"{name}:Sites must name at least one site, or *";
            }
            foreach (var site in key.Sites.Where(s => s != "*" && Sites.All(known => known.Name != s)))
            {
                yield return $"{name}:Sites: '{site}' is not a site of {Section}:Sites";
            }
            if (key.Actions.Count == 0 || key.Actions.Any(a => !Auth.ApiAction.All.Contains(a)))
            {
                yield return $"{name}:Actions must be one or more of 'purge', 'ops'";
            }
        }
        foreach (var duplicate in ApiKeys.GroupBy(k => k.Name).Where(g => g.Count() > 1))
        {
            yield return $"{Section}:ApiKeys: the name '{duplicate.Key}' is used {duplicate.Count()} times";
        }
        if (PurgeRequestsPerSecond < 1 || PurgeBurst < 1)
        {
            yield return $"{Section}:PurgeRequestsPerSecond and {Section}:PurgeBurst must be at least 1";
        }
        if (PurgeAckTimeoutSeconds is < 1 or > 3600)
        {
            yield return $"{Section}:PurgeAckTimeoutSeconds must be 1..3600, was {PurgeAckTimeoutSeconds}";
        }
        if (PurgeHistory is < 1 or > 10_000_000)
        {
            yield return $"{Section}:PurgeHistory must be 1..10000000, was {PurgeHistory}";
        }
        if (Sites.Count == 0)
        {
            yield return $"{Section}:Sites must name at least one site";
        }
        for (var i = 0; i < Sites.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Sites[i].Name))
            {
                yield return $"{Section}:Sites:{i}:Name is required";
            }
            if (Sites[i].Hosts.Count == 0)
            {
                yield return $"{Section}:Sites:{i}:Hosts must name at least one host";
            }
            if (Sites[i].CloudFront is { } cloudFront)
            {
                foreach (var failure in cloudFront.Validate($"{Section}:Sites:{i}:CloudFront"))
                {
                    yield return failure;
                }
            }
        }
        if (Edges.Count == 0)
        {
            yield return $"{Section}:Edges must name at least one edge";
        }
        for (var i = 0; i < Edges.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Edges[i].Name))
            {
                yield return $"{Section}:Edges:{i}:Name is required";
            }
            if (!HttpUrl.TryParse(Edges[i].Url, out _))
            {
                yield return $"{Section}:Edges:{i}:Url: '{Edges[i].Url}' is not an absolute http:// or https:// URL";
            }
        }
        foreach (var duplicate in Edges.GroupBy(e => e.Name).Where(g => g.Count() > 1))
        {
            yield return $"{Section}:Edges: the name '{duplicate.Key}' is used {duplicate.Count()} times";
        }
        if (AuditHistory is < 1 or > 100_000)
        {
            yield return $"{Section}:AuditHistory must be 1..100000, was {AuditHistory}";
        }
        foreach (var failure in Traffic.Validate($"{Section}:Traffic"))
        {
            yield return failure;
        }
        foreach (var failure in Dns.Validate($"{Section}:Dns", Datacenters, Edges))
        {
            yield return failure;
        }
        for (var i = 0; i < Sites.Count; i++)
        {
            if (Sites[i].Zone is { } zone && !global::CdnPlatform.Dns.Zones.DnsNames.IsZoneName(zone))
            {
                yield return $"{Section}:Sites:{i}:Zone: '{zone}' is not a DNS name (letters, digits, '-', dots between labels)";
            }
            if (Sites[i].OriginTtlSeconds is < 1 or > 86400)
            {
                yield return $"{Section}:Sites:{i}:OriginTtlSeconds must be 1..86400, was {Sites[i].OriginTtlSeconds}";
            }
        }
        foreach (var failure in ControlDnsSecondaryOptions.Validate($"{Section}:Dns:Secondaries", Dns.Secondaries, Dns.Port, Sites.Select(s => s.Zone)))
        {
            yield return failure;
        }
        foreach (var failure in ValidateDatacenters())
        {
            yield return failure;
        }
    }

    private IEnumerable<string> ValidateDatacenters()
    {
        for (var i = 0; i < Datacenters.Count; i++)
        {
            var datacenter = Datacenters[i];
            var name = $"{Section}:Datacenters:{i}";
            if (!ControlDatacenterOptions.IsName(datacenter.Name))
            {
                yield return string.IsNullOrEmpty(datacenter.Name)
                    ? $"{name}:Name is required"
                    : $"{name}:Name: '{datacenter.Name}' is not a name (letters, digits, '-', '_' and '.')";
            }
            if (datacenter.Gateways.Count == 0)
            {
                yield return $"{name}:Gateways must name at least one gateway URL";
            }
            for (var g = 0; g < datacenter.Gateways.Count; g++)
            {
                if (!HttpUrl.TryParse(datacenter.Gateways[g], out _))
                {
                    yield return $"{name}:Gateways:{g}: '{datacenter.Gateways[g]}' is not an absolute http:// or https:// URL";
                }
            }
            if (datacenter.Nodes.Count == 0)
            {
                yield return $"{name}:Nodes must name at least one node";
            }
            for (var n = 0; n < datacenter.Nodes.Count; n++)
            {
                if (!ControlDatacenterOptions.IsName(datacenter.Nodes[n]))
                {
                    yield return $"{name}:Nodes:{n}: '{datacenter.Nodes[n]}' is not a node name (letters, digits, '-', '_' and '.')";
                }
            }
            foreach (var duplicate in datacenter.Nodes.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                yield return $"{name}:Nodes: the name '{duplicate.Key}' is used {duplicate.Count()} times";
            }
            if (datacenter.Redis.Length > 0 && !IsRedisConfiguration(datacenter.Redis, out var problem))
            {
                yield return $"{name}:Redis: {problem}";
            }
        }
        foreach (var duplicate in Datacenters.GroupBy(d => d.Name).Where(g => g.Count() > 1))
        {
            yield return $"{Section}:Datacenters: the name '{duplicate.Key}' is used {duplicate.Count()} times";
        }
        if (Datacenters.Count > 0 && GatewayKey.Length < MinApiKeyLength)
        {
            yield return GatewayKey.Length == 0
                ? $"{Section}:GatewayKey is required with {Section}:Datacenters (the gateways' Gateway:AdminKey)"
                : $"{Section}:GatewayKey must be at least {MinApiKeyLength} characters";
        }
        if (DrainReassertSeconds is < 1 or > 60)
        {
            yield return $"{Section}:DrainReassertSeconds must be 1..60, was {DrainReassertSeconds}";
        }
        foreach (var failure in Failover.Validate($"{Section}:Failover"))
        {
            yield return failure;
        }
        if (Failover.Automatic && Datacenters.Count < 2)
        {
            yield return $"{Section}:Failover:Automatic needs at least two {Section}:Datacenters, one to fail over to";
        }
        if (Failover.Automatic && Edges.Count == 0)
        {
            // The verdict wants the edges to confirm: without any, the policy could never act.
            yield return $"{Section}:Failover:Automatic needs {Section}:Edges: no datacenter is declared down without edges to confirm it";
        }
    }

    private static bool IsRedisConfiguration(string configuration, out string problem)
    {
        try
        {
            problem = Cluster.Transport.RedisConnectionOptions.Parse(configuration).EndPoints.Count == 0 ? "names no endpoint" : "";
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }
        return problem.Length == 0;
    }
}
