using System.CommandLine;
using CdnPlatform.Cli.Commands;

var root = new RootCommand("cdnctl: operate a CdnPlatform network")
{
    UpCommand.Create(), PurgeCommand.Create(), NodeCommand.Create(), DeployCommand.Create(), DcCommand.Create(), DrillCommand.Create(),
    DatacenterHostCommand.Create(),
};
// Ctrl+C cancels the running command, which then has System.CommandLine's 2 s to end before the process is ended.
// An interrupted drill gets longer: it starts the datacenter it killed again, which takes a few seconds on two cores
// (DcLossDrill.RestartPatience). Every other command keeps the 2 s, so a stop that hangs still ends promptly.
var invocation = new InvocationConfiguration();
if (args is ["drill", ..])
{
    invocation.ProcessTerminationTimeout = TimeSpan.FromSeconds(90);
}
return await root.Parse(args).InvokeAsync(invocation);
