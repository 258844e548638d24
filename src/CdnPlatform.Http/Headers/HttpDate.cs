using System.Globalization;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms that a recipient
/// must still accept. Always GMT.
/// </summary>
public static class HttpDate
{
    private static readonly string[] Formats =
    [
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'",   // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",    // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT
        "ddd MMM d HH:mm:ss yyyy",           // asctime:     Sun Nov  6 08:49:37 1994
    ];

    /// <summary>
    /// RFC 850's two-digit year is read as the nearest year not more than 50 years ahead (RFC 9110
    /// §5.6.7), not by .NET's fixed 1950–2049 window. Fixed at start-up: the window moves once a year.
    /// </summary>
    private static readonly CultureInfo Rfc850Culture = CreateRfc850Culture(DateTime.UtcNow.Year + 50);

    private static CultureInfo CreateRfc850Culture(int twoDigitYearMax)
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.Calendar.TwoDigitYearMax = twoDigitYearMax;
        return culture;
    }

    public static bool TryParse(string? value, out DateTimeOffset date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }
        var trimmed = value.Trim();
        return DateTimeOffset.TryParseExact(trimmed, Formats, Rfc850Culture,
            DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }

    public static string Format(DateTimeOffset date) => date.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
}
