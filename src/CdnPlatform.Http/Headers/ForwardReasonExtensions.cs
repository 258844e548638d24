namespace CdnPlatform.Http.Headers;

public static class ForwardReasonExtensions
{
    public static string ToToken(this ForwardReason reason) => reason switch
    {
        ForwardReason.Bypass => "bypass",
        ForwardReason.Method => "method",
        ForwardReason.UriMiss => "uri-miss",
        ForwardReason.VaryMiss => "vary-miss",
        ForwardReason.Miss => "miss",
        ForwardReason.Request => "request",
        ForwardReason.Stale => "stale",
        ForwardReason.Partial => "partial",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
