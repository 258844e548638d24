namespace CdnPlatform.Edge.Tls;

/// <summary>
/// The addresses the edge listens on, as ASP.NET Core reads them from configuration: the <c>urls</c> setting
/// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>; separated by <c>;</c>), or when it is empty <c>http_ports</c> and
/// <c>https_ports</c>. Parsed to tell the <c>https://</c> ones from the others.
/// </summary>
internal sealed record ListenAddresses(IReadOnlyList<BindingAddress> Plain, IReadOnlyList<BindingAddress> Https)
{
    /// <summary>The configuration key named in start-up failures.</summary>
    public const string Key = "urls";

    public static ListenAddresses From(IConfiguration configuration, List<string> failures)
    {
        var urls = configuration[Key];
        var entries = !string.IsNullOrWhiteSpace(urls)
            ? Split(urls)
            : [.. Split(configuration["http_ports"]).Select(p => $"http://*:{p}"), .. Split(configuration["https_ports"]).Select(p => $"https://*:{p}")];
        var plain = new List<BindingAddress>();
        var https = new List<BindingAddress>();
        foreach (var entry in entries)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(entry);
            }
            catch (FormatException e)
            {
                failures.Add($"{Key}: '{entry}' is not an address ({e.Message})");
                continue;
            }
            (string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? https : plain).Add(address);
        }
        return new ListenAddresses(plain, https);
    }

    private static string[] Split(string? list) =>
        list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
