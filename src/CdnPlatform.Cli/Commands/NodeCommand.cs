using System.CommandLine;
using CdnPlatform.Cli.Deploy;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Nodes;

namespace CdnPlatform.Cli.Commands;

/// <summary>
/// <c>cdnctl node drain|undrain|status --dc primary --node primary-1 [--wait]</c>: takes an origin node out of
/// its gateways' rotation, puts it back, or shows where it stands at every gateway.
/// </summary>
public static class NodeCommand
{
    public static Command Create() => new("node", "Drain an origin node out of its gateways' rotation, put it back, or show it")
    {
        Subcommand("drain", "Stop new requests to the node at every gateway of its datacenter; --wait until it is idle", nodeRequired: true, waits: true,
            (api, dc, node, wait, ct) => Until(ct2 => api.DrainAsync(dc!, node!, wait ? NodeApi.LongestWait : null, ct2), wait, ct)),
        Subcommand("undrain", "Put the node back in rotation at every gateway of its datacenter", nodeRequired: true, waits: false,
            async (api, dc, node, _, ct) => [await api.UndrainAsync(dc!, node!, ct)]),
        Subcommand("status", "Show the nodes (all, a datacenter's, or one) at every gateway; --wait while any is draining", nodeRequired: false, waits: true,
            async (api, dc, node, wait, ct) =>
            {
                if (node is not null)
                {
                    return await Until(ct2 => api.GetAsync(dc!, node, wait ? NodeApi.LongestWait : null, ct2), wait, ct);
                }
                var all = (await api.ListAsync(wait ? NodeApi.LongestWait : null, ct)).Nodes;
                return all.Where(n => dc is null || n.Datacenter == dc).ToList();
            }),
    };

    /// <param name="action">Calls the control plane with the datacenter, the node, whether to wait; the nodes to show.</param>
    private static Command Subcommand(string name, string description, bool nodeRequired, bool waits,
        Func<NodeApi, string?, string?, bool, CancellationToken, Task<IReadOnlyList<NodeView>>> action)
    {
        var datacenter = new Option<string?>("--dc") { Description = "Datacenter, e.g. primary", Required = nodeRequired };
        var node = new Option<string?>("--node") { Description = "Node, e.g. primary-1", Required = nodeRequired };
        var wait = new Option<bool>("--wait") { Description = "Wait (20 s at a time) until no node shown is draining" };
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var command = new Command(name, description) { datacenter, node, control, apiKey };
        if (waits)
        {
            command.Options.Add(wait);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(node) is not null && parse.GetValue(datacenter) is null)
            {
                Console.Error.WriteLine("--node needs --dc");
                return 2;
            }
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            var api = new NodeApi(client);
            var waiting = waits && parse.GetValue(wait);
            return await ControlApiClient.CallAsync(client, async () =>
            {
                var nodes = await action(api, parse.GetValue(datacenter), parse.GetValue(node), waiting, cancellationToken);
                foreach (var shown in nodes)
                {
                    Print(shown);
                }
                // Asked to wait and still draining: the caller's next step (a restart) must not go ahead.
                return waiting && nodes.Any(n => n.State == DrainState.Draining) ? 1 : 0;
            });
        });
        return command;
    }

    /// <summary>One long poll, or, with <paramref name="wait"/>, long polls until the node is no longer draining.</summary>
    private static async Task<IReadOnlyList<NodeView>> Until(Func<CancellationToken, Task<NodeView>> observe, bool wait, CancellationToken cancellationToken)
    {
        var node = await observe(cancellationToken);
        while (wait && node.State == DrainState.Draining && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine($"{node.Datacenter}/{node.Node}: draining, {node.InFlight} in flight");
            node = await observe(cancellationToken);
        }
        return [node];
    }

    private static void Print(NodeView node)
    {
        Console.WriteLine($"{node.Datacenter}/{node.Node}  {node.State}  {node.InFlight} in flight");
        foreach (var gateway in node.Gateways)
        {
            Console.WriteLine(gateway.Reachable
                ? $"  {gateway.Gateway,-28} {(gateway.Drained ? "drained" : "in rotation"),-11} {gateway.InFlight,4} in flight  {(gateway.Healthy ? "healthy" : "unhealthy")}, last probe {gateway.LastProbe ?? "none"} ({gateway.Probes} probes)"
                : $"  {gateway.Gateway,-28} unreachable: {gateway.Error}");
        }
    }
}
