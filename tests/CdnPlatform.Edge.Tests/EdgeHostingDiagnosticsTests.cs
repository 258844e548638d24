using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// Hosting's per-request diagnostics stay off on an edge: while that category is enabled, ASP.NET Core opens a log
/// scope and starts an Activity for every request, which cost the hit path a tenth of its throughput.
/// </summary>
public sealed class EdgeHostingDiagnosticsTests
{
    [Fact]
    public async Task The_hosting_diagnostics_category_is_off_even_when_the_edge_logs_everything_else()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Logging:LogLevel:Default", "Trace");
        var loggers = f.Edge.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("CdnPlatform.Edge.Pipeline.EdgeRequestHandler").IsEnabled(LogLevel.Debug));
        using var response = await f.GetAsync("/page");
        Assert.True(response.IsSuccessStatusCode);
    }
}
