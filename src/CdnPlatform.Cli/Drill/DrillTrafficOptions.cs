namespace CdnPlatform.Cli.Drill;

/// <summary>How much load a drill runs: defaults sized for two cores, where the network and the load share the machine.</summary>
public sealed record DrillTrafficOptions
{
    /// <summary>Visitors browsing public pages and <c>/whoami</c>, each its own loop.</summary>
    public int Visitors { get; init; } = 4;

    /// <summary>Logged-in visitors writing to and reading their carts.</summary>
    public int Shoppers { get; init; } = 3;

    /// <summary>The pause between two requests of one visitor.</summary>
    public TimeSpan Pace { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a purge is sent; zero sends none.</summary>
    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long after it was accepted a purge may take to reach every edge before it counts as lost.</summary>
    public TimeSpan PurgeDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many of the sitemap's pages visitors browse.</summary>
    public int Pages { get; init; } = 40;
}
