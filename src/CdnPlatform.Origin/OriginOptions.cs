using System.Globalization;
using System.Text.RegularExpressions;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Origin;

/// <summary>The origin node's settings, bound from the <c>Origin</c> configuration section.</summary>
public sealed partial record OriginOptions
{
    public const string SectionName = "Origin";

    /// <summary>This node's name, e.g. <c>primary-1</c>; sent as <c>X-Served-By</c>.</summary>
    public required string Node { get; init; }

    /// <summary>The datacenter the node runs in, e.g. <c>primary</c> or <c>dr</c>.</summary>
    public required string Datacenter { get; init; }

    /// <summary>How long the edges may keep an HTML page; a publish purges it sooner.</summary>
    public int PageSharedMaxAgeSeconds { get; init; } = 300;

    /// <summary>How long the edges may keep a search result; searches are not purged by tag one by one.</summary>
    public int SearchSharedMaxAgeSeconds { get; init; } = 60;

    /// <summary>How long browsers and caches may keep a fingerprinted asset: its URL changes with its content.</summary>
    public int AssetSharedMaxAgeSeconds { get; init; } = 31_536_000;

    /// <summary>
    /// The datacenter's Redis (a StackExchange.Redis configuration string) for content, sessions, the render
    /// cache, Data Protection keys and the purge outbox. Null: all of it in memory, shared only with nodes the
    /// launcher gives the same storage (<c>cdnctl up</c> without <c>--redis</c>).
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>
    /// With Redis: how long it may leave a ping unanswered before the node says it is not ready (<c>/healthz</c> 503),
    /// in milliseconds. The gateways' probes give up after a second; a node that waits longer than that on its storage
    /// to say "not ready" is learnt of only by probes that time out (<see cref="Storage.StorageWatch"/>).
    /// </summary>
    public int StorageSilenceMilliseconds { get; init; } = 1000;

    /// <summary>Prefix of every Redis key the shop writes, so several shops (or tests) share one Redis.</summary>
    public string KeyPrefix { get; init; } = "shop";

    /// <summary>The seed content's directory (<c>origin/content/</c>, copied next to the binaries as <c>content/</c>).</summary>
    public string ContentPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "content");

    /// <summary>The bearer key of <c>POST /cms/products/{id}</c>. Null: the CMS API refuses every call.</summary>
    public string? CmsApiKey { get; init; }

    /// <summary>
    /// Without Redis only: answer writes with 503 as a DR datacenter does. With Redis the server's
    /// <c>ROLE</c> decides, so a promotion needs no restart.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>Where a publish sends its purge; null when the shop runs without a CDN in front.</summary>
    public PurgeTarget? Purge { get; init; }

    /// <summary>Binds and validates the section; every failure names the configuration key it is about.</summary>
    /// <exception cref="OptionsValidationException">Some value is missing or invalid.</exception>
    public static OriginOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var failures = new List<string>();

        var node = RequiredName(section.GetSection(nameof(Node)), failures);
        var datacenter = RequiredName(section.GetSection(nameof(Datacenter)), failures);
        var pageMaxAge = NonNegativeSeconds(section.GetSection(nameof(PageSharedMaxAgeSeconds)), 300, failures);
        var searchMaxAge = NonNegativeSeconds(section.GetSection(nameof(SearchSharedMaxAgeSeconds)), 60, failures);
        var assetMaxAge = NonNegativeSeconds(section.GetSection(nameof(AssetSharedMaxAgeSeconds)), 31_536_000, failures);

        var redis = section.GetSection(nameof(Redis));
        if (redis.Value is not null)
        {
            try
            {
                _ = RedisConnectionOptions.Parse(redis.Value);
            }
            catch (ArgumentException e)
            {
                failures.Add($"{redis.Path}: {e.Message}");
            }
        }

        var silence = section.GetSection(nameof(StorageSilenceMilliseconds));
        var silenceMilliseconds = 1000;
        if (silence.Value is not null
            && (!int.TryParse(silence.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out silenceMilliseconds) || silenceMilliseconds is < 100 or > 60_000))
        {
            failures.Add($"{silence.Path}: '{silence.Value}' is not a whole number of milliseconds from 100 to 60000");
        }

        var keyPrefix = section.GetSection(nameof(KeyPrefix));
        if (keyPrefix.Value is not null && !NamePattern().IsMatch(keyPrefix.Value))
        {
            failures.Add($"{keyPrefix.Path}: '{keyPrefix.Value}' may only contain ASCII letters, digits, '.', '-' and '_'");
        }

        var contentPath = section.GetSection(nameof(ContentPath)).Value ?? Path.Combine(AppContext.BaseDirectory, "content");
        if (!Directory.Exists(contentPath))
        {
            failures.Add($"{section.GetSection(nameof(ContentPath)).Path}: directory '{contentPath}' does not exist");
        }

        var cmsKey = section.GetSection(nameof(CmsApiKey));
        if (cmsKey.Value is { Length: < 16 })
        {
            failures.Add($"{cmsKey.Path} must be at least 16 characters");
        }

        var readOnly = section.GetSection(nameof(ReadOnly));
        var isReadOnly = false;
        if (readOnly.Value is not null && !bool.TryParse(readOnly.Value, out isReadOnly))
        {
            failures.Add($"{readOnly.Path}: '{readOnly.Value}' is not true or false");
        }

        var purge = PurgeTarget.Bind(section.GetSection(nameof(Purge)), failures);

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(OriginOptions), failures);
        }

        return new OriginOptions
        {
            Node = node,
            Datacenter = datacenter,
            PageSharedMaxAgeSeconds = pageMaxAge,
            SearchSharedMaxAgeSeconds = searchMaxAge,
            AssetSharedMaxAgeSeconds = assetMaxAge,
            Redis = redis.Value,
            StorageSilenceMilliseconds = silenceMilliseconds,
            KeyPrefix = keyPrefix.Value ?? "shop",
            ContentPath = contentPath,
            CmsApiKey = cmsKey.Value,
            ReadOnly = isReadOnly,
            Purge = purge,
        };
    }

    // Names end up in a response header (X-Served-By), so they are kept to header-safe characters.
    private static string RequiredName(IConfigurationSection key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(key.Value))
        {
            failures.Add($"{key.Path} is required");
            return "";
        }

        if (!NamePattern().IsMatch(key.Value))
        {
            failures.Add($"{key.Path}: '{key.Value}' may only contain ASCII letters, digits, '.', '-' and '_'");
        }

        return key.Value;
    }

    private static int NonNegativeSeconds(IConfigurationSection key, int defaultValue, List<string> failures)
    {
        if (key.Value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(key.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
        {
            failures.Add($"{key.Path}: '{key.Value}' is not a whole number of seconds >= 0");
        }

        return seconds;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
