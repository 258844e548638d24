using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// Withholds a node's acknowledgement of a write (a 2xx or 3xx answer) when it reaches the gateway after this
/// datacenter's writes went to another datacenter (<see cref="WriteMode.Forward"/>): the write was done against a store
/// a failover has since replaced. A 4xx or 5xx answer passes as it is: it acknowledges nothing.
/// <para>
/// A switchover cannot leave such a write: it holds writes and waits until none is in flight before it reads the
/// primary's offset, and forwards only after that. A failover cannot wait: the datacenter it leaves is unreachable.
/// If that datacenter was only stalled (its Redis paused, its network cut for seconds), a write that was at one of its
/// nodes completes when it resumes, against a Redis that still believes it is the primary until the control plane
/// fences it, and whatever it wrote is discarded then. Passing the node's 200 on would acknowledge a lost write; the
/// visitor is told instead that it may not have been kept. Measured before this: a Redis paused 8 s under cdnload's
/// sale-peak failed over and then acknowledged logins whose sessions the fence discarded a second later.
/// </para>
/// </summary>
public static class WriteAcknowledgement
{
    public static void Add(TransformBuilderContext builder)
    {
        var control = builder.Services.GetRequiredService<WriteControl>();
        builder.AddResponseTransform(transform =>
        {
            // After the answer's status and headers are copied but before anything is sent: a suppressed body leaves
            // the visitor's response unstarted, for the middleware to replace.
            if (transform.ProxyResponse is { } answer && (int)answer.StatusCode < StatusCodes.Status400BadRequest
                && transform.HttpContext.Features.Get<NodeWrite>() is { } write && control.Mode == WriteMode.Forward)
            {
                write.Withheld = true;
                transform.SuppressResponseBody = true;
            }
            return ValueTask.CompletedTask;
        });
    }
}
