using System.Text.Json.Serialization;

namespace CdnPlatform.Cli.Topology;

/// <summary>A gateway or origin node of a <see cref="DatacenterSpec"/>: its name, its URL (port settled) and its settings without <c>--urls</c>.</summary>
public sealed record DatacenterMember(string Name, string Url, string[] Settings)
{
    [JsonIgnore]
    public string[] Args => ["--urls", Url, .. Settings];
}
