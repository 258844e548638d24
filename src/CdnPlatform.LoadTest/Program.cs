using System.CommandLine;
using CdnPlatform.LoadTest.Commands;
using CdnPlatform.LoadTest.Terminal;

// Socket completions run on the thread that polls the sockets instead of being handed to the thread pool: one thread
// switch less per request, which on a 2-core machine shared with the server under test is throughput the server keeps.
// Read once, when the first socket is made, so it is set before anything else runs (bench/RESULTS.md has the figures).
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}


var root = new RootCommand("cdnload: sale-day load tests for a CdnPlatform network (docs/cdnload.md)")
{
    RunCommand.Create(ConsoleSession.Create), ListCommand.Create(), ListCommand.Show(),
};
// Ctrl+C and SIGTERM are the run command's own to handle: it stops the load and still writes the report, however long
// that takes. System.CommandLine's handling would end the process two seconds after the signal, even mid-write (a CI
// run once read an empty JSON report that way).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
