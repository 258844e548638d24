namespace CdnPlatform.Control.Configuration;

/// <summary>A datacenter whose origin nodes the control plane drains: its gateways, and its nodes by name.</summary>
public sealed record ControlDatacenterOptions
{
    /// <summary>As in the API's paths, <c>/v1/nodes/{datacenter}/{node}</c>, e.g. <c>primary</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Base URL of every gateway of the datacenter, e.g. <c>http://127.0.21.1:8080</c>: a drain goes to all of them.</summary>
    public List<string> Gateways { get; init; } = [];

    /// <summary>The nodes' names, as the gateways know them (<c>Gateway:Nodes:N:Name</c>), e.g. <c>primary-1</c>.</summary>
    public List<string> Nodes { get; init; } = [];

    /// <summary>
    /// The datacenter's own Redis (sessions, content), as a StackExchange.Redis configuration string; empty if the
    /// control plane should not probe it. The health monitor pings it and reads its replication offset.
    /// </summary>
    public string Redis { get; init; } = "";

    /// <summary>Whether <paramref name="name"/> can name a datacenter or a node: it travels in URL paths.</summary>
    public static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
