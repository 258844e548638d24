using Microsoft.Extensions.Logging;

namespace CdnPlatform.Testing;

/// <summary>One entry kept by <see cref="CapturingLoggerProvider"/>.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message, Exception? Exception);
