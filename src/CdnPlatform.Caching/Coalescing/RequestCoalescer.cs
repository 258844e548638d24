using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Coalescing;

/// <summary>
/// Makes concurrent misses for one URL into one origin request: the first caller leads and fetches, the
/// others wait for it to land and then look the store up again. What the leader fetched is shared only
/// if it was stored; an unshareable response sends each follower to the origin on its own.
/// </summary>
public sealed class RequestCoalescer
{
    private readonly ConcurrentDictionary<CacheKey, Flight> _flights = new();

    /// <summary>True when the caller leads the flight for <paramref name="key"/> and must <see cref="Land"/> it.</summary>
    public bool TryLead(CacheKey key, out Flight flight)
    {
        var mine = new Flight();
        flight = _flights.GetOrAdd(key, mine);
        return ReferenceEquals(flight, mine);
    }

    /// <summary>Ends the flight: followers wake with <paramref name="outcome"/>, and the next request for the key leads anew.</summary>
    public void Land(CacheKey key, Flight flight, FlightOutcome outcome)
    {
        _flights.TryRemove(KeyValuePair.Create(key, flight));
        flight.Complete(outcome);
    }

    public int InFlight => _flights.Count;
}
