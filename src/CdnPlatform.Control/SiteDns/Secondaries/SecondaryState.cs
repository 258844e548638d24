namespace CdnPlatform.Control.SiteDns.Secondaries;

/// <summary>
/// Where one external server stands (<c>Control:Dns:Secondaries:N</c>): the newest zones published, what was
/// last sent and what the server last acknowledged, and, while it refuses or does not answer, why and when the
/// next attempt is. Serials are the SOA serials of <see cref="ZonesPublished"/>; the server keeps its own.
/// </summary>
public sealed record SecondaryState(string Server, string Zone, string KeyName)
{
    public const string InSync = "in-sync";
    public const string Pushing = "pushing";
    public const string Retrying = "retrying";

    /// <summary>The newest serial the control plane published; what the server should have.</summary>
    public uint? PublishedSerial { get; init; }

    /// <summary>The serial of the last update sent, answered or not.</summary>
    public uint? PushedSerial { get; init; }

    /// <summary>The serial of the last update the server answered NOERROR, signed.</summary>
    public uint? AckedSerial { get; init; }

    public DateTimeOffset? AckedAt { get; init; }

    /// <summary>Why the last attempt failed, e.g. <c>NOTAUTH (TSIG BADSIG)</c>; null once the server acknowledges.</summary>
    public string? LastError { get; init; }

    /// <summary>Failed attempts since the last acknowledgement.</summary>
    public int Attempts { get; init; }

    /// <summary>When the next attempt is due, while retrying.</summary>
    public DateTimeOffset? NextRetry { get; init; }

    /// <summary><see cref="InSync"/>, <see cref="Pushing"/> (a change not yet acknowledged) or <see cref="Retrying"/>.</summary>
    public string Status => AckedSerial is not null && AckedSerial == PublishedSerial ? InSync : LastError is null ? Pushing : Retrying;
}
