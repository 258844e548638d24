using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// The edge's connection pool to origins (<see cref="OriginClient"/>), renewed when an origin address leaves a
/// DNS answer. Requests go to the address itself (<c>http://127.0.22.1:8080</c>), and SocketsHttpHandler keeps a
/// pool per host and port, so a request after a change can never take a connection to the old address; what
/// is left to do is close the old pool's idle keep-alive connections now rather than after their idle timeout,
/// so the old datacenter sees the edge leave. <see cref="Renew"/> puts a new handler in place for every request
/// from then on and disposes the old one once the requests that hold it (<see cref="Rent"/>) are done: those
/// finish on the connections they have. Every site shares the pool, as YARP recommends, so a renewal costs the
/// other sites one new connection each; DNS changes that remove an address are rare.
/// </summary>
internal sealed class OriginConnections : IDisposable
{
    private readonly Func<HttpMessageInvoker> _create;
    private Generation _current;
    private int _renewals;

    public OriginConnections(EdgeOptions options)
        : this(() => OriginClient.Create(options))
    {
    }

    internal OriginConnections(Func<HttpMessageInvoker> create)
    {
        _create = create;
        _current = new Generation(create());
    }

    /// <summary>How many times the pool was renewed since start.</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    /// <summary>The current pool, held until the lease is disposed: dispose it when the request to the origin is done.</summary>
    public Lease Rent()
    {
        while (true)
        {
            var generation = Volatile.Read(ref _current);
            if (generation.TryHold())
            {
                return new Lease(generation);
            }
            // Renewed between the read and the hold: the next read finds the new one.
        }
    }

    public void Renew()
    {
        var old = Interlocked.Exchange(ref _current, new Generation(_create()));
        Interlocked.Increment(ref _renewals);
        old.Release();
    }

    public void Dispose() => Volatile.Read(ref _current).Release();

    /// <summary>A pool's handle on one request; a struct, so a request allocates nothing for it.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Generation _generation;

        internal Lease(Generation generation) => _generation = generation;

        public HttpMessageInvoker Client => _generation.Client;

        public void Dispose() => _generation.Release();
    }

    /// <summary>One handler and the count of those holding it: the pool itself counts as one until it is replaced.</summary>
    internal sealed class Generation(HttpMessageInvoker client)
    {
        private int _holders = 1;

        public HttpMessageInvoker Client { get; } = client;

        public bool TryHold()
        {
            var holders = Volatile.Read(ref _holders);
            while (holders > 0)
            {
                var seen = Interlocked.CompareExchange(ref _holders, holders + 1, holders);
                if (seen == holders)
                {
                    return true;
                }
                holders = seen;
            }
            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) == 0)
            {
                // Closes its idle connections; the busy ones were all released before this.
                Client.Dispose();
            }
        }
    }
}
