using CdnPlatform.Cluster;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Origin;
using CdnPlatform.OriginGateway;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// The configuration one process of a deployment would read at start-up (its mounted <c>/app/appsettings.json</c>,
/// then its environment, <c>Section__Key</c>, then its command line) and what its host makes of it.
/// </summary>
/// <param name="Name">The compose service or Kubernetes container it is, for messages.</param>
/// <param name="ProcessVariables">Environment variables that are no configuration section (<c>PORT</c>): top-level values allowed.</param>
public record HostSettings(string Name, HostKind Kind, IConfigurationRoot Configuration, IReadOnlySet<string> ProcessVariables)
{
    /// <summary>The sections each host binds, and to which options type.</summary>
    public static IReadOnlyDictionary<string, Type> SectionsOf(HostKind kind) => kind switch
    {
        HostKind.Edge => new Dictionary<string, Type> { [EdgeOptions.Section] = typeof(EdgeOptions), [ClusterOptions.Section] = typeof(ClusterOptions) },
        HostKind.Control => new Dictionary<string, Type> { [ControlOptions.Section] = typeof(ControlOptions), [ClusterOptions.Section] = typeof(ClusterOptions) },
        HostKind.OriginGateway => new Dictionary<string, Type> { [OriginGatewayOptions.SectionName] = typeof(OriginGatewayOptions) },
        HostKind.Origin => new Dictionary<string, Type> { [OriginOptions.SectionName] = typeof(OriginOptions) },
        _ => new Dictionary<string, Type>(),
    };

    /// <summary>
    /// What would stop the host, or make it quietly ignore a setting: its own start-up validation (the same Bind
    /// calls its composition root makes), the binder's strict mode where the host binds with it, and every key
    /// that no options type has.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Run(Action bind)
        {
            try
            {
                bind();
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
            catch (InvalidOperationException e)
            {
                // The strict binder's "properties were not found", or a value that does not convert.
                problems.Add(e.Message);
            }
        }
        void Strict<T>(string section) => Run(() => Configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true));

        switch (Kind)
        {
            case HostKind.Edge:
                Run(() => EdgeOptions.Bind(Configuration));
                Run(() => ClusterOptions.Bind(Configuration));
                Strict<EdgeOptions>(EdgeOptions.Section);
                Strict<ClusterOptions>(ClusterOptions.Section);
                break;
            case HostKind.Control:
                Run(() => ControlOptions.Bind(Configuration));
                Run(() => ClusterOptions.Bind(Configuration));
                Strict<ControlOptions>(ControlOptions.Section);
                Strict<ClusterOptions>(ClusterOptions.Section);
                break;
            case HostKind.OriginGateway:
                Run(() => OriginGatewayOptions.Bind(Configuration));
                break;
            case HostKind.Origin:
                Run(() => OriginOptions.Bind(Configuration));
                break;
        }
        problems.AddRange(ConfigurationKeys.Unknown(Configuration, SectionsOf(Kind), ProcessVariables));
        return problems;
    }

    public EdgeOptions Edge => EdgeOptions.Bind(Configuration);

    public ControlOptions Control => ControlOptions.Bind(Configuration);

    public OriginGatewayOptions Gateway => OriginGatewayOptions.Bind(Configuration);

    public OriginOptions Origin => OriginOptions.Bind(Configuration);

    public ClusterOptions Cluster => ClusterOptions.Bind(Configuration);

    /// <summary>The environment variables of <paramref name="environment"/> that are no configuration section.</summary>
    public static IReadOnlySet<string> ProcessVariablesOf(IEnumerable<string> environment) =>
        environment.Where(k => !k.Contains("__", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The configuration a process reads: <paramref name="settingsJson"/> as its <c>appsettings.json</c> (if any), then
    /// <paramref name="environment"/> as .NET's environment variables provider maps it (<c>__</c> separates sections),
    /// then <paramref name="commandLine"/>.
    /// </summary>
    public static IConfigurationRoot Read(IEnumerable<string> settingsJson, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> commandLine)
    {
        var builder = new ConfigurationBuilder();
        foreach (var json in settingsJson)
        {
            builder.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        }
        builder.AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));
        if (commandLine.Count > 0)
        {
            builder.AddCommandLine([.. commandLine]);
        }
        return builder.Build();
    }
}
