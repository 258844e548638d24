using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Cluster.Tests;

/// <summary>An edge's store as the follower sees it: records what was applied and dropped, in order.</summary>
internal sealed class RecordingEdge
{
    private readonly Func<PurgeMessage, Task>? _beforeApply;
    private readonly Lock _lock = new();
    private readonly List<PurgeMessage> _applied = [];
    private readonly List<string> _events = [];
    private int _inApply;
    private int _failedAttempts;

    /// <param name="beforeApply">Awaited before each apply; throwing makes that apply fail.</param>
    public RecordingEdge(Func<PurgeMessage, Task>? beforeApply = null) => _beforeApply = beforeApply;

    public bool Overlapped { get; private set; }

    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    public IReadOnlyList<PurgeMessage> Applied
    {
        get { lock (_lock) { return [.. _applied]; } }
    }

    public IReadOnlyList<string> AppliedIds => [.. Applied.Select(p => p.Id)];

    /// <summary>"drop" and applied purge IDs, in the order they happened.</summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_lock) { return [.. _events]; } }
    }

    public int Drops
    {
        get { lock (_lock) { return _events.Count(e => e == "drop"); } }
    }

    public async Task<PurgeFollower> StartAsync(IPurgeBus bus, string edge, TimeSpan pollInterval, TimeProvider? time = null,
        TimeSpan? markSaveDelay = null)
    {
        var follower = new PurgeFollower(bus, edge, ApplyAsync, DropEverythingAsync, time ?? TimeProvider.System,
            NullLogger.Instance, pollInterval, markSaveDelay);
        await follower.StartAsync(CancellationToken.None);
        return follower;
    }

    public Task WaitForAsync(int count) =>
        Eventually.TrueAsync(() => Applied.Count >= count, () => $"applied {Applied.Count} of {count}: [{string.Join(", ", AppliedIds)}]");

    private async Task ApplyAsync(PurgeMessage purge)
    {
        Overlapped |= Interlocked.Increment(ref _inApply) > 1;
        try
        {
            await Task.Yield();
            try
            {
                if (_beforeApply is not null)
                {
                    await _beforeApply(purge);
                }
            }
            catch
            {
                Interlocked.Increment(ref _failedAttempts);
                throw;
            }
            lock (_lock)
            {
                _applied.Add(purge);
                _events.Add(purge.Id);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inApply);
        }
    }

    private Task DropEverythingAsync()
    {
        lock (_lock)
        {
            _events.Add("drop");
        }
        return Task.CompletedTask;
    }
}
