namespace CdnPlatform.LoadTest.Tests.Terminal;

/// <summary>Reads rendered Spectre tables back as rows of cells, so a test can say which figures sit on one row.</summary>
public static class TableRows
{
    /// <summary>A line whose cells (between the table's borders) are <paramref name="first"/> and then <paramref name="cells"/>, exactly.</summary>
    public static void AssertRow(IReadOnlyList<string> lines, string first, params string[] cells)
    {
        string[] expected = [first, .. cells];
        Assert.True(lines.Any(l => Cells(l).SequenceEqual(expected)), $"no row [{string.Join(" | ", expected)}] in:\n{string.Join('\n', lines)}");
    }

    public static List<string> Cells(string line) =>
        [.. line.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
