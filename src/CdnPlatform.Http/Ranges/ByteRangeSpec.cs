namespace CdnPlatform.Http.Ranges;

/// <summary>
/// One range-spec of a bytes Range (RFC 9110 §14.1.1): <c>first-last</c>, <c>first-</c> (to the end), or
/// <c>-n</c> (the last n bytes: <see cref="First"/> is null and <see cref="Last"/> holds n).
/// </summary>
public readonly record struct ByteRangeSpec(long? First, long? Last)
{
    /// <summary>A suffix-range: the final <see cref="Last"/> bytes.</summary>
    public bool IsSuffix => First is null;
}
