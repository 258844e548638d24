namespace CdnPlatform.LoadTest.Tests.Reporting;

/// <summary>
/// What a page did while a test had it open: the requests it made (only the file itself and inline data are let
/// through), what it logged as errors, what it threw. Playwright reports these from its own threads.
/// </summary>
public sealed class PageVisit
{
    private readonly Lock _lock = new();
    private readonly List<string> _refused = [];
    private readonly List<string> _requests = [];
    private readonly List<string> _errors = [];

    public bool Allows(string url)
    {
        var allowed = IsLocal(url);
        if (!allowed)
        {
            lock (_lock)
            {
                _refused.Add(url);
            }
        }
        return allowed;
    }

    public void Requested(string url)
    {
        lock (_lock)
        {
            _requests.Add(url);
        }
    }

    public void Logged(string type, string text)
    {
        // A refused load (the page's Content-Security-Policy) is logged as an error, so it is caught here too.
        if (type is "error" or "warning")
        {
            lock (_lock)
            {
                _errors.Add($"console {type}: {text}");
            }
        }
    }

    public void Threw(string error)
    {
        lock (_lock)
        {
            _errors.Add($"page error: {error}");
        }
    }

    public void AssertClean()
    {
        lock (_lock)
        {
            Assert.True(_refused.Count == 0, $"the page tried to fetch: {string.Join(", ", _refused)}");
            var remote = _requests.Where(url => !IsLocal(url)).ToList();
            Assert.True(remote.Count == 0, $"the page requested: {string.Join(", ", remote)}");
            Assert.True(_errors.Count == 0, string.Join("\n", _errors));
        }
    }

    private static bool IsLocal(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    public override string ToString()
    {
        lock (_lock)
        {
            return $"requests: [{string.Join(", ", _requests)}], errors: [{string.Join(" | ", _errors)}]";
        }
    }
}
