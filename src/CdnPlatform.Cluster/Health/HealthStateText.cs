namespace CdnPlatform.Cluster.Health;

/// <summary>
/// How a <see cref="HealthState"/> is written in JSON (<c>up</c>, <c>down</c>, <c>unknown</c>): the edges write it in
/// <c>/edge/origins</c> and the control plane reads it back, so both use this one spelling.
/// </summary>
public static class HealthStateText
{
    public static string ToText(this HealthState state) => state switch
    {
        HealthState.Up => "up",
        HealthState.Down => "down",
        _ => "unknown",
    };

    /// <summary>Anything but <c>up</c> or <c>down</c> (a newer edge's word, a typo) is no view at all.</summary>
    public static HealthState Parse(string? text) => text switch
    {
        "up" => HealthState.Up,
        "down" => HealthState.Down,
        _ => HealthState.Unknown,
    };
}
