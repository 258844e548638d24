using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Vary;

/// <summary>
/// The secondary cache key of RFC 9111 §4.1: a string that is equal for two requests exactly when their
/// selecting fields match, so a stored variant can be found by plain string comparison.
/// </summary>
/// <remarks>
/// Each field is written as <c>length:name</c> followed by <c>!</c> when the request lacks it (absent is not
/// the same as empty) or <c>=length:value</c> with the value normalised as §4.1 allows: lines combined,
/// whitespace around commas dropped, and for Accept-Language and Accept-Encoding the case and the
/// semantically void differences removed (see <see cref="SelectingFieldValue"/>). The length prefixes make
/// the encoding unambiguous, and the names keep keys of different Vary sets apart.
/// </remarks>
public static class VaryKey
{
    /// <summary>
    /// The key for a request, given the Vary of the response it is (or would be) answered with. <c>""</c>
    /// for no Vary. A <c>Vary: *</c> response must not be stored at all; the key ignores the star.
    /// </summary>
    public static string Compute(VaryFields fields, Func<string, StringValues> requestHeader)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(requestHeader);
        if (fields.Names.Count == 0)
        {
            return "";
        }
        // The handler writes into the stack buffer and rents only if it outgrows it: the result string is
        // the only allocation for ordinary requests.
        var key = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        foreach (var segment in new RequestVaryKeySegments<Func<string, StringValues>>(fields, requestHeader, static (name, header) => header(name)))
        {
            key.AppendFormatted(segment);
        }
        return key.ToStringAndClear();
    }

    /// <summary>
    /// Whether a request's key for <paramref name="fields"/> equals <paramref name="variantKey"/>: what
    /// <see cref="Compute"/> would say, without making the key string or a closure (it runs on every Vary'd hit).
    /// </summary>
    /// <remarks>
    /// Each field's segment is compared in place with the variant key, and the first that differs ends the
    /// match before the later fields are looked at. A segment normally comes from <see cref="RecentVaryKeySegments"/>,
    /// since clients repeat their lines from request to request: the match then costs a few string comparisons.
    /// </remarks>
    public static bool Matches<TState>(VaryFields fields, string variantKey, TState state, Func<string, TState, StringValues> requestHeader)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(requestHeader);
        var matched = 0;
        foreach (var segment in new RequestVaryKeySegments<TState>(fields, state, requestHeader))
        {
            if (!variantKey.AsSpan(matched).StartsWith(segment))
            {
                return false;
            }
            matched += segment.Length;
        }
        return matched == variantKey.Length;
    }
}
