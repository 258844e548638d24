using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace CdnPlatform.IntegrationTests.Dashboard;

/// <summary>The dashboard open in a browser context of its own, with every request the page made and every error its script threw.</summary>
public sealed class DashboardVisit(IPage page)
{
    public IPage Page { get; } = page;

    public ConcurrentQueue<PageRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Nothing was fetched from anywhere but the control plane, and the script threw nothing.</summary>
    public void AssertClean()
    {
        Assert.True(Requests.All(r => !r.Refused), $"the page asked elsewhere: {string.Join(", ", Requests.Where(r => r.Refused).Select(r => r.Url))}");
        Assert.True(Errors.IsEmpty, $"the page's script threw: {string.Join("; ", Errors)}");
    }
}
