using System.Text.RegularExpressions;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml and every file it mounts, read as a deployment would read them, with each service's host
/// kind found from the project its image publishes.
/// </summary>
public sealed partial class ComposeDeployment
{
    public const string ComposePath = "docker-compose.yml";

    /// <summary>The file's mount point for a host's settings, as the Dockerfiles say (<c>WORKDIR /app</c>).</summary>
    public const string SettingsTarget = "/app/appsettings.json";

    private ComposeDeployment(ComposeFile file, IReadOnlyList<DeployedHost> hosts)
    {
        File = file;
        Hosts = hosts;
    }

    public ComposeFile File { get; }

    public IReadOnlyList<DeployedHost> Hosts { get; }

    public DeployedHost this[string service] => Hosts.Single(h => h.Name == service);

    public IEnumerable<DeployedHost> OfKind(HostKind kind) => Hosts.Where(h => h.Kind == kind);

    /// <param name="read">Reads a repository file by its path from the root; a test passes one that edits a file on the way.</param>
    public static ComposeDeployment Load(IReadOnlyDictionary<string, string> environment, Func<string, string>? read = null)
    {
        read ??= RepositoryFiles.Read;
        var file = ComposeFile.Parse(read(ComposePath), environment);
        var hosts = file.Services.Values.Select(service =>
        {
            var kind = KindOf(service, read);
            var settings = service.Volumes.Where(m => m.Target == SettingsTarget).Select(mount =>
            {
                Assert.True(mount.IsBind, $"{service.Name}: {SettingsTarget} must come from a file of the repository, not the volume '{mount.Source}'");
                return read(mount.Source);
            }).ToList();
            var configuration = HostSettings.Read(settings, service.Environment, kind == HostKind.Redis ? [] : service.Command);
            return new DeployedHost(service, kind, configuration);
        }).ToList();
        return new ComposeDeployment(file, hosts);
    }

    /// <summary>Redis for a redis image; otherwise the project the service's Dockerfile publishes (<c>dotnet publish src/…</c>).</summary>
    public static HostKind KindOf(ComposeService service, Func<string, string> read)
    {
        if (service.Image is { } image && image.Split(':')[0].Split('/')[^1] == "redis")
        {
            return HostKind.Redis;
        }
        var build = service.Build ?? throw new InvalidDataException($"{service.Name}: neither a redis image nor a build of this repository");
        var dockerfile = read(build.Dockerfile);
        var defaults = ArgDefault().Matches(dockerfile).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var published = Publish().Match(dockerfile);
        Assert.True(published.Success, $"{build.Dockerfile} publishes no project of src/");
        var project = Regex.Replace(published.Groups[1].Value, @"\$\{?(\w+)\}?", m => build.Args.GetValueOrDefault(m.Groups[1].Value) ?? defaults.GetValueOrDefault(m.Groups[1].Value) ?? "");
        return project switch
        {
            "CdnPlatform.Edge" => HostKind.Edge,
            "CdnPlatform.OriginGateway" => HostKind.OriginGateway,
            "CdnPlatform.Origin" => HostKind.Origin,
            "CdnPlatform.Control" => HostKind.Control,
            _ => throw new InvalidDataException($"{service.Name}: {build.Dockerfile} publishes '{project}', which is no host of this repository"),
        };
    }

    [GeneratedRegex(@"^ARG\s+(\w+)=(\S+)", RegexOptions.Multiline)]
    private static partial Regex ArgDefault();

    [GeneratedRegex(@"dotnet publish src/(\S+)")]
    private static partial Regex Publish();
}
