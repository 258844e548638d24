namespace CdnPlatform.Bench.Eviction;

/// <summary>
/// Requests drawn independently from a Zipf popularity (the rank-r object asked for with probability ∝ 1/r^α).
/// Ranks are dealt to objects in a shuffled order, so how popular an object is says nothing of its size.
/// </summary>
internal static class ZipfTrace
{
    public static int[] Generate(int objects, double alpha, int requests, Random random)
    {
        var cumulative = new double[objects];
        var total = 0.0;
        for (var rank = 0; rank < objects; rank++)
        {
            total += 1.0 / Math.Pow(rank + 1, alpha);
            cumulative[rank] = total;
        }
        var objectOfRank = Enumerable.Range(0, objects).ToArray();
        random.Shuffle(objectOfRank);
        var trace = new int[requests];
        for (var i = 0; i < requests; i++)
        {
            var rank = Array.BinarySearch(cumulative, random.NextDouble() * total);
            trace[i] = objectOfRank[rank < 0 ? Math.Min(~rank, objects - 1) : rank];
        }
        return trace;
    }
}
