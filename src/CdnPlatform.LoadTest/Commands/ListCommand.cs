using System.CommandLine;
using CdnPlatform.LoadTest.Scenarios;

namespace CdnPlatform.LoadTest.Commands;

/// <summary><c>cdnload list</c>: the built-in scenarios with their descriptions; <c>cdnload show NAME</c>: one as a file to copy.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the built-in scenarios");
        command.SetAction(_ =>
        {
            foreach (var name in BuiltInScenarios.Names)
            {
                var scenario = BuiltInScenarios.Resolve(name);
                Console.WriteLine($"{name,-12} {scenario.Model.ToString().ToLowerInvariant(),-6} {DurationText.Format(scenario.Duration),6}  {scenario.Description}");
            }
            return 0;
        });
        return command;
    }

    public static Command Show()
    {
        var name = new Argument<string>("scenario") { Description = "A built-in scenario's name" };
        var command = new Command("show", "Print a built-in scenario's file, to copy and change") { name };
        command.SetAction(parse =>
        {
            if (BuiltInScenarios.Text(parse.GetValue(name)!) is not { } text)
            {
                Console.Error.WriteLine($"cdnload: unknown scenario '{parse.GetValue(name)}' (built in: {string.Join(", ", BuiltInScenarios.Names)})");
                return RunCommand.BadInput;
            }
            Console.Write(text);
            return 0;
        });
        return command;
    }
}
