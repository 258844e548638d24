using CdnPlatform.Client;
using CdnPlatform.LoadTest.Running;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Events;

/// <summary>The events a scenario asks for, and what each needs before any load starts.</summary>
public static class LoadEvents
{
    /// <summary>Refuses a scenario whose events lack what they need (a key), before the load, with the flag to give.</summary>
    /// <exception cref="ScenarioException">A key is missing.</exception>
    public static void Check(Scenario scenario, RunSettings settings)
    {
        if (scenario.Purge is not null && string.IsNullOrEmpty(settings.CmsKey))
        {
            throw new ScenarioException($"{scenario.Name} publishes through the CMS: give its key with --cms-key or $CDN_CMS_KEY (cdnctl up prints it)");
        }
        if (scenario.Drill is not null && settings.Control?.DefaultRequestHeaders.Authorization is null)
        {
            throw new ScenarioException($"{scenario.Name} drives the control API: give a key with the ops scope with --api-key or $CDN_API_KEY (cdnctl up prints it)");
        }
    }

    public static IReadOnlyList<ILoadEvent> For(Scenario scenario, IReadOnlyList<SiteClient> pops, ShopCatalog catalog, RunSettings settings)
    {
        var events = new List<ILoadEvent>();
        if (scenario.Purge is { } purge)
        {
            events.Add(new PurgeStormEvent(purge, pops, catalog, settings.CmsKey!));
        }
        if (scenario.Drill is { } drill)
        {
            events.Add(new DatacenterDrillEvent(drill, new DatacenterApi(settings.Control!), TimeProvider.System));
        }
        return events;
    }
}
