namespace CdnPlatform.LoadTest.Recording;

/// <summary>How one request ended, as the recorder counts it.</summary>
/// <param name="Latency">From the intended send time (open model) or the actual one (closed), to the whole body read or the failure.</param>
/// <param name="Status">The answer's status; 0 when none came.</param>
/// <param name="CacheAnswer">The answer carries an edge Cache-Status member.</param>
/// <param name="Hit">That member says hit.</param>
/// <param name="Datacenter">The datacenter of the node that made the answer (X-Served-By), for answers that were not hits; null otherwise.</param>
/// <param name="Error">Why it is an error; null when it is not one.</param>
/// <param name="Bytes">Body bytes read.</param>
/// <param name="ServiceTime">From the actual send to the answer's end; zero when no answer came.</param>
public readonly record struct RequestOutcome(TimeSpan Latency, int Status, bool CacheAnswer, bool Hit, string? Datacenter, ErrorKind? Error, long Bytes, TimeSpan ServiceTime = default);
