namespace CdnPlatform.Cluster.Purging;

/// <summary>The purge log could not be written or read (Redis down or unreachable). Nothing was accepted.</summary>
public sealed class PurgeLogUnavailableException : Exception
{
    public PurgeLogUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
