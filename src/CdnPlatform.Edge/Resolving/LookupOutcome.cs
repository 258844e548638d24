using System.Net;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// What asking the resolvers for a name's addresses came to: an answer from one of them (the addresses, none for
/// NXDOMAIN or NODATA, and for how long), or the failure of every one, which <see cref="ResolvedName.Failed"/> turns
/// into stale answers.
/// </summary>
public sealed record LookupOutcome
{
    private LookupOutcome()
    {
    }

    public bool Answered { get; private init; }

    public IReadOnlyList<IPAddress> Addresses { get; private init; } = [];

    public TimeSpan Ttl { get; private init; }

    /// <summary>The resolver that answered, or what each one did wrong.</summary>
    public string Detail { get; private init; } = "";

    public static LookupOutcome Answer(IReadOnlyList<IPAddress> addresses, TimeSpan ttl, string resolver) =>
        new() { Answered = true, Addresses = addresses, Ttl = ttl, Detail = resolver };

    public static LookupOutcome Failure(string reasons) => new() { Detail = reasons };
}
