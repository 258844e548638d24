using CdnPlatform.LoadTest.Scheduling;

namespace CdnPlatform.LoadTest.Tests.Scheduling;

public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task TheBodyRunsOnItsOwnNamedThreadOutsideThePool()
    {
        string? name = null;
        bool? pooled = null;
        await DedicatedThread.Run("cdnload test loop", lowestPriority: false, () =>
        {
            name = Thread.CurrentThread.Name;
            pooled = Thread.CurrentThread.IsThreadPoolThread;
        });
        Assert.Equal("cdnload test loop", name);
        Assert.False(pooled);
    }

    [Fact]
    public async Task ALowestPriorityThreadRunsAtNice19AndTheCallerKeepsItsOwn()
    {
        var before = ThreadNiceness.Current();
        int? inside = null;
        await DedicatedThread.Run("cdnload test sampler", lowestPriority: true, () => inside = ThreadNiceness.Current());
        Assert.Equal(19, inside);
        // Linux keeps a nice value per thread: lowering the loop's must not lower the thread that started it.
        Assert.Equal(before, ThreadNiceness.Current());
        Assert.NotEqual(19, before);
    }

    [Fact]
    public async Task AnExceptionInTheBodyFaultsTheTask()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DedicatedThread.Run("cdnload failing loop", lowestPriority: true, () => throw new InvalidOperationException("broken loop")));
        Assert.Equal("broken loop", e.Message);
    }
}
