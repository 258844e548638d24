using CdnPlatform.Edge;
using Microsoft.Extensions.Options;

// Socket completions run on the socket engine's own threads instead of being handed to the thread pool (and Kestrel's
// continuations with them): on 2 cores the hand-offs were a tenth of a cache hit's cost, and the edge's request path
// never blocks a thread. +8.5 % on 1 KiB hits in an interleaved run beside nginx (bench/RESULTS.md, 2026-12-06). Read
// by .NET when the first socket is made, so it is set before anything else; an operator's own value (0) wins. Only the
// edge's own process: `cdnctl up`, which hosts every node in one process, keeps .NET's default.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

// Before the first body is allocated: evicted bodies' memory goes back instead of piling up per thread (NativeHeap).
CdnPlatform.Edge.Storage.NativeHeap.TuneForBodies();

try
{
    await EdgeHost.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"configuration error: {string.Join("; ", e.Failures)}");
    return 2;
}
