namespace CdnPlatform.LoadTest.Recording;

/// <summary>Why a request counts as an error. Written in reports in kebab case (<see cref="ErrorKinds.Name"/>).</summary>
public enum ErrorKind
{
    /// <summary>An answer with a 5xx status.</summary>
    Status5xx,

    /// <summary>An answer with a 4xx status the journey did not expect.</summary>
    Status4xx,

    /// <summary>No answer within the request timeout.</summary>
    Timeout,

    /// <summary>The connection was refused: nothing listens, or the host is down.</summary>
    Refused,

    /// <summary>The connection broke before a whole answer came (reset, closed early).</summary>
    Reset,

    /// <summary>An answer came but a journey's check failed: logged out, an acknowledged cart write missing.</summary>
    Check,

    /// <summary>Anything else that stopped the request.</summary>
    Other,
}
