using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Freshness;

/// <summary>The age calculation of RFC 9111 §4.2.3, split so the store keeps one number per entry.</summary>
public static class ResponseAge
{
    /// <summary>
    /// corrected_initial_age: the age the response already had when it arrived, from its Age header, its
    /// Date and the time the request spent in flight.
    /// </summary>
    public static TimeSpan CorrectedInitialAge(string? ageHeader, string? dateHeader, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        var ageValue = TimeSpan.Zero;
        if (ageHeader is not null)
        {
            // Age is delta-seconds; a list (several Age lines) or junk is ignored as §5.1 allows.
            var first = ageHeader.Split(',')[0].Trim();
            if (CacheControlParsing.TryParseDeltaSeconds(first, out var parsed))
            {
                ageValue = parsed;
            }
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

    public static TimeSpan Current(TimeSpan correctedInitialAge, DateTimeOffset responseTime, DateTimeOffset now)
    {
        var resident = now - responseTime;
        return correctedInitialAge + (resident > TimeSpan.Zero ? resident : TimeSpan.Zero);
    }
}
