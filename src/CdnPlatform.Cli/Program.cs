using System.CommandLine;
using CdnPlatform.Cli.Commands;

var root = new RootCommand("cdnctl: operate a CdnPlatform network")
{
    UpCommand.Create(), PurgeCommand.Create(), NodeCommand.Create(), DeployCommand.Create(), DcCommand.Create(), DrillCommand.Create(),
    DatacenterHostCommand.Create(),
};
// Ctrl+C cancels the running command, which then has this long to end before System.CommandLine ends the process
// (its default is 2 s): an interrupted drill starts the datacenter it killed again, which takes a few seconds on
// two cores (DcLossDrill.RestartPatience).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
