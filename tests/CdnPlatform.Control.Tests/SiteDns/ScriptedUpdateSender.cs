using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using CdnPlatform.Dns.Updating;

namespace CdnPlatform.Control.Tests.SiteDns;

/// <summary>
/// Stands in for the network: answers each update as <see cref="Answer"/> says (acknowledged unless told),
/// keeps every update sent, and holds sends while <see cref="Hold"/> is set, to show what piles up meanwhile.
/// </summary>
internal sealed class ScriptedUpdateSender : IDnsUpdateSender
{
    private readonly ConcurrentQueue<(IPEndPoint Server, DnsUpdateMessage Update)> _sent = new();

    public Func<IPEndPoint, UpdateOutcome> Answer { get; set; } = _ => new UpdateOutcome(UpdateVerdict.Acknowledged, "NOERROR");

    /// <summary>While not null, each send waits for it to complete.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public IReadOnlyList<(IPEndPoint Server, DnsUpdateMessage Update)> Sent => [.. _sent];

    public async Task<UpdateOutcome> SendAsync(IPEndPoint server, DnsUpdateMessage update, CancellationToken cancellationToken)
    {
        _sent.Enqueue((server, update));
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }
        return Answer(server);
    }
}
