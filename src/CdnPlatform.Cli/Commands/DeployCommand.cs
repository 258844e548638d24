using System.CommandLine;
using CdnPlatform.Cli.Deploy;

namespace CdnPlatform.Cli.Commands;

/// <summary>
/// <c>cdnctl deploy --dc primary [--restart-command "docker compose restart {dc}-node-{index}"]</c>: a rolling
/// restart of every node of a datacenter (<see cref="RollingDeploy"/>).
/// </summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var datacenter = new Option<string>("--dc") { Description = "Datacenter whose nodes to restart one by one, e.g. primary", Required = true };
        var restartCommand = new Option<string?>("--restart-command")
        {
            Description = "Shell command that restarts a node ({node}, {dc}, {index} filled in), e.g. \"docker compose restart {dc}-node-{index}\"; "
                + "default: the control plane restarts it (cdnctl up)",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds each step may take: going idle, restarting, coming back healthy at every gateway",
            DefaultValueFactory = _ => 120,
        };
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var command = new Command("deploy", "Drain, restart and re-admit each node of a datacenter in turn, without failing a visitor's request")
        {
            datacenter, restartCommand, timeout, control, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(timeout) < 1)
            {
                Console.Error.WriteLine("--timeout must be at least 1 second");
                return 2;
            }
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            var api = new NodeApi(client);
            IRestartStep restart = parse.GetValue(restartCommand) is { Length: > 0 } template ? new CommandRestart(template) : new ControlPlaneRestart(api);
            var deploy = new RollingDeploy(api, restart, TimeSpan.FromSeconds(parse.GetValue(timeout)), TimeProvider.System,
                step => (step.Stage == DeployStage.Failed ? Console.Error : Console.Out).WriteLine(step.Message));
            return await ControlApiClient.CallAsync(client, async () =>
            {
                var done = await deploy.RunAsync(parse.GetValue(datacenter)!, cancellationToken);
                Console.WriteLine(done ? $"deployed every node of {parse.GetValue(datacenter)}" : "deploy stopped");
                return done ? 0 : 1;
            }, "; deploy stopped (a node may be left drained: cdnctl node status)");
        });
        return command;
    }
}
