namespace CdnPlatform.LoadTest.Workload;

/// <summary>
/// Picks an index in [0, n) with Zipf popularity: the item of rank k (from 1) has weight 1/k^s. s = 0 is uniform;
/// web traffic is usually near 0.8–1.0 (a few pages take most visits, a long tail the rest). The cumulative weights are
/// computed once; a pick is one uniform draw and a binary search.
/// </summary>
public sealed class ZipfPicker
{
    private readonly double[] _cumulative;

    public ZipfPicker(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        _cumulative = new double[count];
        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            sum += 1 / Math.Pow(k + 1, exponent);
            _cumulative[k] = sum;
        }
        for (var k = 0; k < count; k++)
        {
            _cumulative[k] /= sum;
        }
    }

    public int Count => _cumulative.Length;

    /// <summary>The probability of the item at <paramref name="index"/>.</summary>
    public double Probability(int index) => _cumulative[index] - (index == 0 ? 0 : _cumulative[index - 1]);

    /// <param name="uniform">A draw in [0, 1).</param>
    public int Pick(double uniform)
    {
        var index = Array.BinarySearch(_cumulative, uniform);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, _cumulative.Length - 1);
    }

    public int Pick(Random random) => Pick(random.NextDouble());
}
