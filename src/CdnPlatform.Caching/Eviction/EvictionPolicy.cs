namespace CdnPlatform.Caching.Eviction;

/// <summary>How a <see cref="Storage.MemoryCacheStore"/> chooses what leaves when its byte budget is full (docs/eviction.md).</summary>
public enum EvictionPolicy
{
    /// <summary>S3-FIFO: a small probationary FIFO, a main FIFO with a 2-bit hit count, and a ghost of recently evicted URLs.</summary>
    S3Fifo,

    /// <summary>CLOCK (second chance): one FIFO, a URL hit since its last turn goes round once more.</summary>
    Clock,
}
