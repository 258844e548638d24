using System.CommandLine;
using System.Text.Json;
using CdnPlatform.Cli.Topology;

namespace CdnPlatform.Cli.Commands;

/// <summary>
/// <c>cdnctl datacenter-host --spec FILE</c>, hidden: one datacenter of <c>cdnctl up --redis auto</c>, which launches
/// it through <c>setsid</c> and alone knows its spec. Not for users: it runs until its standard input closes.
/// </summary>
public static class DatacenterHostCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo>("--spec") { Description = "The datacenter's spec (JSON), written by cdnctl up", Required = true };
        var command = new Command("datacenter-host", "Run one datacenter of cdnctl up --redis auto (started by it)") { spec };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var read = JsonSerializer.Deserialize<DatacenterSpec>(await File.ReadAllTextAsync(parse.GetValue(spec)!.FullName, cancellationToken))
                ?? throw new InvalidOperationException("the datacenter spec is empty");
            return await DatacenterHost.RunAsync(read);
        });
        return command;
    }
}
