using System.Globalization;

namespace CdnPlatform.Edge.Delivery;

/// <summary>The Age values for the first day of ages, made once and reused, so a hit allocates no string for it.</summary>
internal static class DeliveryStrings
{
    private const int Cached = 86_400;
    private static readonly string?[] Ages = new string?[Cached];

    public static string Age(long seconds) =>
        seconds is >= 0 and < Cached
            ? Ages[seconds] ??= seconds.ToString(CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture);
}
