namespace CdnPlatform.Bench.Eviction;

/// <summary>What a replay served from cache: by requests (object hit ratio) and by body bytes (byte hit ratio).</summary>
internal sealed class HitCount
{
    public long Requests { get; private set; }
    public long Hits { get; private set; }
    public long RequestedBytes { get; private set; }
    public long HitBytes { get; private set; }

    public double ObjectHitRatio => (double)Hits / Requests;

    public double ByteHitRatio => (double)HitBytes / RequestedBytes;

    public void Count(bool hit, int bodyBytes)
    {
        Requests++;
        RequestedBytes += bodyBytes;
        if (hit)
        {
            Hits++;
            HitBytes += bodyBytes;
        }
    }
}
