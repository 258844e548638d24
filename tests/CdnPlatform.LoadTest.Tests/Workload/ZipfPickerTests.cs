using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Tests.Workload;

public sealed class ZipfPickerTests
{
    [Fact]
    public void ExponentZeroIsUniform()
    {
        var zipf = new ZipfPicker(4, 0);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0.25, zipf.Probability(i), 12));
    }

    [Fact]
    public void ExponentOneGivesRankKOneKthOfTheFirstsShare()
    {
        var zipf = new ZipfPicker(100, 1.0);
        Assert.Equal(2.0, zipf.Probability(0) / zipf.Probability(1), 9);
        Assert.Equal(10.0, zipf.Probability(0) / zipf.Probability(9), 9);
        Assert.Equal(1.0, Enumerable.Range(0, 100).Sum(zipf.Probability), 9);
    }

    [Fact]
    public void PicksFollowTheProbabilities()
    {
        var zipf = new ZipfPicker(50, 0.8);
        var random = new Random(13);
        var counts = new int[50];
        const int Draws = 200_000;
        for (var i = 0; i < Draws; i++)
        {
            counts[zipf.Pick(random)]++;
        }
        for (var k = 0; k < 50; k++)
        {
            // Within 5 standard deviations of the binomial count.
            var p = zipf.Probability(k);
            Assert.InRange(counts[k], Draws * p - 5 * Math.Sqrt(Draws * p * (1 - p)), Draws * p + 5 * Math.Sqrt(Draws * p * (1 - p)));
        }
    }

    [Fact]
    public void TheEdgesOfTheUnitIntervalPickTheFirstAndLast()
    {
        var zipf = new ZipfPicker(10, 1.0);
        Assert.Equal(0, zipf.Pick(0.0));
        Assert.Equal(9, zipf.Pick(0.999999999));
        Assert.Equal(1, zipf.Pick(zipf.Probability(0)));
    }
}
