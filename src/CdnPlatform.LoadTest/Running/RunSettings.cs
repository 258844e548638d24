using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Running;

/// <summary>Where a run sends its load and whom it asks for the events: the POPs, the control plane, the CMS key.</summary>
/// <param name="Control">The control plane client (its key with the ops scope, for the drill); null when the scenario needs none.</param>
/// <param name="CmsKey">The CMS API's bearer key, for purge-storm's publishes.</param>
/// <param name="TracePath">Where to write every request as a CSV line (<c>--trace</c>); null for none.</param>
public sealed record RunSettings(IReadOnlyList<PopTarget> Targets, HttpClient? Control, string? CmsKey, string? TracePath = null);
