namespace CdnPlatform.LoadTest.Recording;

public static class ErrorKinds
{
    /// <summary>The name a report uses for <paramref name="kind"/>: <c>status-5xx</c>, <c>status-4xx</c>, <c>timeout</c>, <c>refused</c>, <c>reset</c>, <c>check</c>, <c>other</c>.</summary>
    public static string Name(ErrorKind kind) => kind switch
    {
        ErrorKind.Status5xx => "status-5xx",
        ErrorKind.Status4xx => "status-4xx",
        ErrorKind.Timeout => "timeout",
        ErrorKind.Refused => "refused",
        ErrorKind.Reset => "reset",
        ErrorKind.Check => "check",
        _ => "other",
    };
}
