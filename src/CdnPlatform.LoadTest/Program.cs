using System.CommandLine;
using CdnPlatform.LoadTest.Commands;

var root = new RootCommand("cdnload: sale-day load tests for a CdnPlatform network (docs/cdnload.md)")
{
    RunCommand.Create(ConsoleSession.Create), ListCommand.Create(), ListCommand.Show(),
};
return await root.Parse(args).InvokeAsync();
