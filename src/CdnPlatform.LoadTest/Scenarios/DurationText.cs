using System.Globalization;
using System.Text.RegularExpressions;

namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>Durations as scenarios and flags write them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>.</summary>
public static partial class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || !Whole().IsMatch(text.Trim()))
        {
            return false;
        }
        foreach (Match part in Part().Matches(text.Trim()))
        {
            var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds >= 1 && duration.Milliseconds == 0
            ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
