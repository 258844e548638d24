namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>The repository's files, by their path from its root (where CdnPlatform.sln is).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath.TrimStart('.', '/')));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CdnPlatform.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("CdnPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
