using CdnPlatform.Http;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Control.Configuration;

/// <summary>The control plane's settings, bound from the <c>Control</c> section.</summary>
public sealed record ControlOptions
{
    public const string Section = "Control";

    /// <summary>The key the CMS and ops present as <c>Authorization: Bearer …</c>. Kept only as a hash in memory.</summary>
    public string ApiKey { get; init; } = "";

    public List<ControlSiteOptions> Sites { get; init; } = [];

    /// <summary>Every edge expected to acknowledge a purge.</summary>
    public List<ControlEdgeOptions> Edges { get; init; } = [];

    /// <summary>How many purge records <c>GET /v1/purge/{id}</c> can still answer for.</summary>
    public int PurgeHistory { get; init; } = 10_000;

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
        if (ApiKey.Length < MinApiKeyLength)
        {
            yield return $"{Section}:ApiKey must be at least {MinApiKeyLength} characters";
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
    }
}
