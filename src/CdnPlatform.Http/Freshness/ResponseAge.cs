using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Freshness;

/// <summary>The age calculation of RFC 9111 §4.2.3, split so the store keeps one number per entry.</summary>
public static class ResponseAge
{
    /// <summary>
    /// corrected_initial_age: the age the response already had when it arrived, from its Age field, its
    /// Date and the time the request spent in flight.
    /// </summary>
    /// <remarks>
    /// An Age field that is present but invalid (see <see cref="AgeHeader"/>) makes the response as old as
    /// an age can be (<see cref="CacheControl.MaxDelta"/>), so it is stale on arrival and only reused after
    /// revalidation.
    /// </remarks>
    public static TimeSpan CorrectedInitialAge(StringValues age, string? dateHeader, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        var ageValue = TimeSpan.Zero;
        if (age.Count > 0 && !AgeHeader.TryParse(age, out ageValue))
        {
            return CacheControl.MaxDelta;
        }
        var apparentAge = TimeSpan.Zero;
        if (HttpDate.TryParse(dateHeader, out var date) && responseTime > date)
        {
            apparentAge = responseTime - date;
        }
        var responseDelay = responseTime - requestTime;
        var correctedAgeValue = ageValue + (responseDelay > TimeSpan.Zero ? responseDelay : TimeSpan.Zero);
        return apparentAge > correctedAgeValue ? apparentAge : correctedAgeValue;
    }

    /// <summary>
    /// The same, for an Age given as one string: <c>null</c> is an absent field, anything else one field
    /// line. (A literal <c>null</c> argument converts to both overloads; write <c>StringValues.Empty</c>.)
    /// </summary>
    public static TimeSpan CorrectedInitialAge(string? ageHeader, string? dateHeader, DateTimeOffset requestTime, DateTimeOffset responseTime) =>
        CorrectedInitialAge(ageHeader is null ? StringValues.Empty : new StringValues(ageHeader), dateHeader, requestTime, responseTime);

    public static TimeSpan Current(TimeSpan correctedInitialAge, DateTimeOffset responseTime, DateTimeOffset now)
    {
        var resident = now - responseTime;
        return correctedInitialAge + (resident > TimeSpan.Zero ? resident : TimeSpan.Zero);
    }
}
