using System.Collections.Concurrent;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Tests.Running;

/// <summary>Keeps every second and event a run reports, to compare with its final report.</summary>
public sealed class CollectingProgress : IRunProgress
{
    public ConcurrentQueue<TimelineSecond> Seconds { get; } = new();

    public ConcurrentQueue<TimelineEvent> Events { get; } = new();

    public void OnSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned) => Seconds.Enqueue(second);

    public void OnEvent(TimelineEvent timelineEvent) => Events.Enqueue(timelineEvent);
}
