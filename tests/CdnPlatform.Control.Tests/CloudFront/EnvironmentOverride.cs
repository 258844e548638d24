namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>Sets environment variables in this test process (null removes one) and puts every old value back on dispose.</summary>
public sealed class EnvironmentOverride : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    public EnvironmentOverride(Dictionary<string, string?> values)
    {
        foreach (var (name, value) in values)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
