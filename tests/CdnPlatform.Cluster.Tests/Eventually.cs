namespace CdnPlatform.Cluster.Tests;

/// <summary>Waits for asynchronous outcomes: polls until a condition holds, or fails the test after <see cref="Patience"/>.</summary>
internal static class Eventually
{
    /// <summary>Generous on purpose: it bounds a wait, it does not measure speed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static Task HoldsAsync(Func<bool> condition, Func<string> describe) =>
        HoldsAsync(() => Task.FromResult(condition()), describe);

    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await Bounded(condition(), describe))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"still not true after {Patience.TotalSeconds:0} s: {describe()}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>A condition that itself never finishes fails the test too, instead of hanging it.</summary>
    private static async Task<bool> Bounded(Task<bool> check, Func<string> describe)
    {
        if (await Task.WhenAny(check, Task.Delay(Patience)) != check)
        {
            Assert.Fail($"checking did not finish within {Patience.TotalSeconds:0} s: {describe()}");
        }
        return await check;
    }

    /// <summary>Retries <paramref name="operation"/> while it throws <typeparamref name="TException"/>; fails the test after <see cref="Patience"/>.</summary>
    public static async Task<T> SucceedsAsync<T, TException>(Func<Task<T>> operation, string what) where TException : Exception
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                var attempt = operation();
                if (await Task.WhenAny(attempt, Task.Delay(Patience)) != attempt)
                {
                    Assert.Fail($"{what} did not finish within {Patience.TotalSeconds:0} s");
                }
                return await attempt;
            }
            catch (TException e)
            {
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"{what} still failed after {Patience.TotalSeconds:0} s: {e.Message}");
                }
            }
            await Task.Delay(50);
        }
    }
}
