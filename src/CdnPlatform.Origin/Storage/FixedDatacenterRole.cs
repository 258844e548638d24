namespace CdnPlatform.Origin.Storage;

/// <summary>The role without Redis: what <c>Origin:ReadOnly</c> says, fixed for the node's life.</summary>
public sealed class FixedDatacenterRole(bool writable) : IDatacenterRole
{
    public ValueTask<bool> IsWritableAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(writable);
}
