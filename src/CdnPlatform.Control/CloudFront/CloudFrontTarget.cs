using CdnPlatform.Control.Api;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// What became of one purge at one CloudFront distribution, as the purge status reports it. The purge's
/// background task moves it from state to state while status requests read it, so every change and every
/// read happens under one lock: a status never shows half a transition (say, the refusal's error without
/// its retry time, which would read as <c>failed</c>).
/// </summary>
public sealed class CloudFrontTarget
{
    private readonly Lock _lock = new();
    private Phase _phase = Phase.Submitting;
    private IReadOnlyList<CloudFrontInvalidation> _invalidations = [];
    private string? _error;
    private int _attempts;
    private DateTimeOffset? _retryAt;
    private DateTimeOffset _lastRefreshed;

    public CloudFrontTarget(string distributionId) => DistributionId = distributionId;

    private enum Phase
    {
        /// <summary>A CreateInvalidation round is under way (the first, or a retry).</summary>
        Submitting,

        /// <summary>Refused for now; the next round is planned at <see cref="_retryAt"/>.</summary>
        Retrying,

        /// <summary>CloudFront accepted every request; its invalidations are in progress or completed.</summary>
        Created,

        /// <summary>Refused for good, out of retry time, or nothing to send.</summary>
        Failed,
    }

    public string DistributionId { get; }

    /// <summary><c>submitting</c>, <c>retrying</c>, <c>in-progress</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string State
    {
        get
        {
            lock (_lock)
            {
                return StateLocked();
            }
        }
    }

    /// <summary>Create requests made so far (a purge split over several requests counts once per round).</summary>
    public int Attempts
    {
        get
        {
            lock (_lock)
            {
                return _attempts;
            }
        }
    }

    /// <summary>When the next attempt is due after a passing refusal; null when none is planned.</summary>
    public DateTimeOffset? RetryAt
    {
        get
        {
            lock (_lock)
            {
                return _retryAt;
            }
        }
    }

    /// <summary>A round starts. The previous refusal's error stays visible until the round has an outcome.</summary>
    public void BeginAttempt()
    {
        lock (_lock)
        {
            _attempts++;
            _retryAt = null;
            _phase = Phase.Submitting;
        }
    }

    public void Accepted(IReadOnlyList<CloudFrontInvalidation> invalidations, DateTimeOffset now)
    {
        lock (_lock)
        {
            _invalidations = invalidations;
            _error = null;
            _retryAt = null;
            _lastRefreshed = now;
            _phase = Phase.Created;
        }
    }

    /// <param name="created">What CloudFront accepted before the refusal (the first requests of a split purge).</param>
    /// <param name="retryAt">When the next round is due; null when there will be none.</param>
    public void Refused(IReadOnlyList<CloudFrontInvalidation> created, string error, DateTimeOffset? retryAt)
    {
        lock (_lock)
        {
            _invalidations = created;
            _error = error;
            _retryAt = retryAt;
            _phase = retryAt is null ? Phase.Failed : Phase.Retrying;
        }
    }

    public void Fail(string error) => Refused([], error, retryAt: null);

    /// <summary>
    /// The invalidations to ask CloudFront about again, or null when none are pending or the last ask was
    /// less than <paramref name="every"/> ago; claiming them marks the time, so concurrent status reads ask once.
    /// </summary>
    public IReadOnlyList<CloudFrontInvalidation>? ClaimRefresh(DateTimeOffset now, TimeSpan every)
    {
        lock (_lock)
        {
            if (StateLocked() != "in-progress" || now - _lastRefreshed < every)
            {
                return null;
            }
            _lastRefreshed = now;
            return _invalidations;
        }
    }

    public void Refreshed(IReadOnlyList<CloudFrontInvalidation> invalidations)
    {
        lock (_lock)
        {
            if (_phase == Phase.Created)
            {
                _invalidations = invalidations;
            }
        }
    }

    public CloudFrontTargetStatus ToStatus()
    {
        lock (_lock)
        {
            return new CloudFrontTargetStatus(DistributionId, StateLocked(),
                [.. _invalidations.Select(i => new CloudFrontInvalidationStatus(i.Id, i.Status))], _error, _attempts, _retryAt);
        }
    }

    private string StateLocked() => _phase switch
    {
        Phase.Submitting => "submitting",
        Phase.Retrying => "retrying",
        Phase.Failed => "failed",
        _ => _invalidations.All(i => i.IsCompleted) ? "completed" : "in-progress",
    };
}
