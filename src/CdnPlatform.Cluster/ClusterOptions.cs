using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Cluster;

/// <summary>How a node reaches the rest of the network. Bound from the <c>Cluster</c> section.</summary>
public sealed record ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary><c>memory</c> (every node in this process) or <c>redis</c>.</summary>
    public string Transport { get; init; } = "memory";

    /// <summary>
    /// StackExchange.Redis configuration, e.g. <c>127.0.0.1:6379</c>; required for <c>redis</c>. Checked at start-up;
    /// what it leaves out comes from <see cref="RedisConnectionOptions"/>.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>Prefix of every Redis key and channel, so several networks can share one Redis.</summary>
    public string KeyPrefix { get; init; } = "cdn";

    public static ClusterOptions Bind(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var failures = new List<string>();
        if (options.Transport is not ("memory" or "redis"))
        {
            failures.Add($"{Section}:Transport: '{options.Transport}' is not one of 'memory', 'redis'");
        }
        if (options.Transport == "redis" && string.IsNullOrWhiteSpace(options.Redis))
        {
            failures.Add($"{Section}:Redis is required when {Section}:Transport is 'redis' (e.g. 127.0.0.1:6379)");
        }
        else if (options.Transport == "redis" && RedisProblem(options.Redis!) is { } problem)
        {
            failures.Add($"{Section}:Redis: {problem}");
        }
        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{Section}:KeyPrefix must not be empty");
        }
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(ClusterOptions), failures);
        }
        return options;
    }

    private static string? RedisProblem(string configuration)
    {
        try
        {
            return RedisConnectionOptions.Parse(configuration).EndPoints.Count == 0
                ? $"'{configuration}' names no endpoint (e.g. 127.0.0.1:6379)"
                : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
