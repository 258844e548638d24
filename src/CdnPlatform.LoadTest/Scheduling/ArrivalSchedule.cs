namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// The intended send time of every request of an open model: arrival <c>k</c> (from 0) is due when the integral of the
/// rate curve reaches <c>k</c>. Within a stage the rate is linear, so the count is quadratic in time and each arrival's
/// time has a closed form. The schedule is the truth a request's latency is measured from: a request sent late (every
/// connection busy, a stalled server) still counts from its intended time, which is what keeps a stall visible
/// (coordinated omission, as wrk2 corrects it).
/// </summary>
public sealed class ArrivalSchedule(LoadCurve curve)
{
    private int _stage;
    private double _stageStartCount;
    private TimeSpan _stageStart;
    private double _stageFrom = curve.Start;
    private long _next;

    /// <summary>How many arrivals have been handed out.</summary>
    public long Count => _next;

    /// <summary>The next arrival's intended offset from the start; false once the curve's last stage is over.</summary>
    public bool TryNext(out TimeSpan offset)
    {
        while (_stage < curve.Stages.Count)
        {
            var stage = curve.Stages[_stage];
            var seconds = stage.Duration.TotalSeconds;
            var stageCount = (_stageFrom + stage.Target) / 2 * seconds;
            var remaining = _next - _stageStartCount;
            if (remaining < stageCount)
            {
                offset = _stageStart + TimeSpan.FromSeconds(WithinStage(_stageFrom, stage.Target, seconds, remaining));
                _next++;
                return true;
            }
            _stageStartCount += stageCount;
            _stageStart += stage.Duration;
            _stageFrom = stage.Target;
            _stage++;
        }
        offset = default;
        return false;
    }

    // Solves a·t + (b − a)·t²/(2D) = m for t in [0, D], in the form that stays exact when a = b and when a = 0.
    private static double WithinStage(double a, double b, double duration, double m)
    {
        if (m <= 0)
        {
            return 0;
        }
        var slope = (b - a) / duration;
        return 2 * m / (a + Math.Sqrt(Math.Max(0, a * a + 2 * slope * m)));
    }
}
