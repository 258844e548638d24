using System.Diagnostics;
using Xunit;

namespace CdnPlatform.Testing;

/// <summary>
/// Waits for an asynchronous outcome: checks until it holds, and fails the test, saying what was awaited,
/// when it does not within the time given. The one deadline loop of every test project.
/// </summary>
public static class Eventually
{
    /// <summary>Generous on purpose: it bounds a wait, it does not measure speed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, () => what);

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        TrueAsync(condition, timeout, () => what);

    /// <summary>Within <see cref="Patience"/>; <paramref name="describe"/> says, at the time of failing, what was awaited and how far it got.</summary>
    public static Task TrueAsync(Func<bool> condition, Func<string> describe) =>
        TrueAsync(() => Task.FromResult(condition()), Patience, describe);

    public static Task TrueAsync(Func<Task<bool>> condition, Func<string> describe) =>
        TrueAsync(condition, Patience, describe);

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe) =>
        ValueAsync(condition, held => held, timeout, _ => describe());

    /// <summary>Reads until a value satisfies <paramref name="until"/> and returns that value; the last one read goes into the failure.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan timeout, Func<T, string> describe)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await Bounded(read(), timeout);
            if (until(value))
            {
                return value;
            }
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"still not so after {timeout.TotalSeconds:0.#} s: {describe(value)}");
            }
            await Task.Delay(Pause);
        }
    }

    /// <summary>Retries <paramref name="operation"/> while it throws <typeparamref name="TException"/>; fails the test after <see cref="Patience"/>.</summary>
    public static async Task<T> SucceedsAsync<T, TException>(Func<Task<T>> operation, string what) where TException : Exception
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return await Bounded(operation(), Patience);
            }
            catch (TException e)
            {
                if (Stopwatch.GetElapsedTime(started) > Patience)
                {
                    Assert.Fail($"{what} still failed after {Patience.TotalSeconds:0} s: {e.Message}");
                }
            }
            await Task.Delay(Pause);
        }
    }

    /// <summary>A check that itself never finishes fails the test too, instead of hanging it.</summary>
    private static async Task<T> Bounded<T>(Task<T> check, TimeSpan timeout)
    {
        if (await Task.WhenAny(check, Task.Delay(timeout)) != check)
        {
            Assert.Fail($"a check did not finish within {timeout.TotalSeconds:0.#} s");
        }
        return await check;
    }
}
