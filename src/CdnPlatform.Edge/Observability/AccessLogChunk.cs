namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Lines one core's buffer gathered, handed to the writer: records of a 4-byte length, the 8-byte timestamp the
/// request completed at (for putting cores' lines back in order) and the line itself.
/// </summary>
internal readonly record struct AccessLogChunk(byte[] Buffer, int Length, int Lines);
