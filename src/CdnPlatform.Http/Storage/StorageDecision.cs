namespace CdnPlatform.Http.Storage;

/// <summary>Whether a response may be stored, and if not, why (the reason goes to Cache-Status detail and logs).</summary>
public readonly record struct StorageDecision(bool CanStore, string? Reason)
{
    public static readonly StorageDecision Store = new(true, null);

    public static StorageDecision Refuse(string reason) => new(false, reason);
}
