using HdrHistogram;

namespace CdnPlatform.LoadTest.Recording;

/// <summary>One group's second as the sampler closed it: its interval histogram and counts.</summary>
internal sealed record ClosedSecond(string Name, HistogramBase Histogram, long Requests, long Hits, long CacheAnswers, long[] Errors, long Bytes);
