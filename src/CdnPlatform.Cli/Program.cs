using System.CommandLine;
using CdnPlatform.Cli.Commands;

var root = new RootCommand("cdnctl: operate a CdnPlatform network")
{
    UpCommand.Create(), PurgeCommand.Create(), NodeCommand.Create(), DeployCommand.Create(), DcCommand.Create(), DrillCommand.Create(),
    DatacenterHostCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
