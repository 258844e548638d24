using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Commands;

/// <summary>The terminal side of one run: what it says before, the progress during, the summary after.</summary>
public interface IRunProgressSession : IAsyncDisposable
{
    IRunProgress Progress { get; }

    void Announce(Scenario scenario, IReadOnlyList<PopTarget> targets);

    Task CompleteAsync(LoadReport report);
}
