using System.Globalization;

namespace CdnPlatform.Control.Api;

/// <summary>The <c>?recent=N</c> of the list endpoints (<c>/v1/purges</c>, <c>/v1/audit</c>): how many of the newest to answer with.</summary>
public static class RecentParameter
{
    /// <summary>Null and <paramref name="count"/> set when the value is absent (the default) or a whole number 1..<paramref name="max"/>; else the 400 to answer.</summary>
    public static IResult? Read(string? value, int defaultCount, int max, out int count)
    {
        count = defaultCount;
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 && count <= max)
        {
            return null;
        }
        return Results.Json(new ApiError($"recent: '{value}' is not a whole number from 1 to {max}", "recent"),
            ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
    }
}
