namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// What a drill does to its datacenter. A kill is a death: connections refused, found at once. A pause (SIGSTOP of the
/// datacenter's process group, or of its <c>redis-server</c> alone) is a stall, what a Redis fork, a slow disk, a frozen VM
/// or a network cut that heals look like: connections accepted, nothing answered, and everything it held goes on where
/// it stopped when it resumes.
/// </summary>
public enum DatacenterFault
{
    /// <summary><c>POST /v1/dc/{name}/kill</c>, then <c>/start</c>.</summary>
    Kill,

    /// <summary><c>POST /v1/dc/{name}/pause</c>, then <c>/resume</c>.</summary>
    Pause,

    /// <summary><c>POST /v1/dc/{name}/pause?only=redis</c>, then <c>/resume</c>.</summary>
    PauseRedis,
}
