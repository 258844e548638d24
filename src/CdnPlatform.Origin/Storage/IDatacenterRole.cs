namespace CdnPlatform.Origin.Storage;

/// <summary>Whether this datacenter takes writes (publish, login, cart) or is a read-only DR replica.</summary>
public interface IDatacenterRole
{
    /// <exception cref="StackExchange.Redis.RedisException">The datacenter's Redis cannot be asked.</exception>
    ValueTask<bool> IsWritableAsync(CancellationToken cancellationToken = default);
}
