using System.Globalization;
using System.Text.RegularExpressions;
using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Thresholds;

/// <summary>
/// A pass/fail rule on the run's figures, as k6 has them: <c>p99 &lt; 50ms</c>, <c>errors == 0</c>,
/// <c>hit_ratio &gt; 0.9</c>. Metrics: <c>p50 p90 p99 p99.9 max mean</c> (a duration: <c>ms</c> or <c>s</c>, plain
/// numbers are milliseconds), <c>errors</c> and <c>requests</c> (counts), <c>error_rate</c> and <c>hit_ratio</c>
/// (0–1), <c>rate</c> (achieved requests/s). Operators <c>&lt; &lt;= &gt; &gt;= == !=</c>. A metric may name a POP or a
/// datacenter first, <c>ams.p99 &lt; 20ms</c>, to hold one group to it.
/// </summary>
public sealed partial class Threshold
{
    private static readonly string[] Latencies = ["p50", "p90", "p99", "p99.9", "max", "mean"];
    private static readonly string[] Others = ["errors", "requests", "error_rate", "hit_ratio", "rate"];

    private Threshold(string expression, string? group, string metric, string op, double value)
    {
        Expression = expression;
        Group = group;
        Metric = metric;
        Operator = op;
        Value = value;
    }

    public string Expression { get; }

    /// <summary>A POP's or a datacenter's name; null for the whole run.</summary>
    public string? Group { get; }

    public string Metric { get; }

    public string Operator { get; }

    /// <summary>In the metric's unit: milliseconds for latencies.</summary>
    public double Value { get; }

    /// <summary>Reads one threshold; false with a reason a person can act on.</summary>
    public static bool TryParse(string expression, out Threshold? threshold, out string? error)
    {
        threshold = null;
        error = null;
        var match = Shape().Match(expression);
        if (!match.Success)
        {
            error = $"threshold '{expression}' is not '<metric> <op> <value>' (e.g. 'p99 < 50ms', 'errors == 0', 'hit_ratio > 0.9')";
            return false;
        }
        var group = match.Groups["group"].Success ? match.Groups["group"].Value : null;
        var metric = match.Groups["metric"].Value;
        var unit = match.Groups["unit"].Value;
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        if (Latencies.Contains(metric))
        {
            value = unit switch
            {
                "" or "ms" => value,
                "s" => value * 1000,
                _ => double.NaN,
            };
            if (double.IsNaN(value))
            {
                error = $"threshold '{expression}': a latency takes ms or s, not '{unit}'";
                return false;
            }
        }
        else if (Others.Contains(metric))
        {
            if (unit.Length > 0)
            {
                error = $"threshold '{expression}': {metric} takes a plain number, not '{unit}'";
                return false;
            }
        }
        else
        {
            error = $"threshold '{expression}': unknown metric '{metric}' (known: {string.Join(", ", Latencies.Concat(Others))})";
            return false;
        }
        threshold = new Threshold(expression, group, metric, match.Groups["op"].Value, value);
        return true;
    }

    /// <summary>Checks the rule against a report's figures. A group the run does not have, or a hit ratio with no cache answers, fails.</summary>
    public ThresholdResult Evaluate(LoadReport report)
    {
        var figures = Group is null
            ? report.Total
            : report.Pops.Concat(report.Datacenters).FirstOrDefault(g => string.Equals(g.Name, Group, StringComparison.OrdinalIgnoreCase));
        var actual = figures is null ? null : Measure(figures);
        return new ThresholdResult(Expression, actual, actual is { } a && Holds(a));
    }

    private double? Measure(GroupFigures figures) => Metric switch
    {
        "p50" => figures.Latency.P50,
        "p90" => figures.Latency.P90,
        "p99" => figures.Latency.P99,
        "p99.9" => figures.Latency.P999,
        "max" => figures.Latency.Max,
        "mean" => figures.Latency.Mean,
        "errors" => figures.Errors,
        "requests" => figures.Requests,
        "error_rate" => figures.Requests == 0 ? 0 : (double)figures.Errors / figures.Requests,
        "hit_ratio" => figures.HitRatio,
        _ => figures.Rate,
    };

    private bool Holds(double actual) => Operator switch
    {
        "<" => actual < Value,
        "<=" => actual <= Value,
        ">" => actual > Value,
        ">=" => actual >= Value,
        "==" => actual == Value,
        _ => actual != Value,
    };

    [GeneratedRegex(@"^\s*(?:(?<group>[A-Za-z0-9_-]+)\.)?(?<metric>p99\.9|[a-z_]+[0-9]*)\s*(?<op><=|>=|==|!=|<|>)\s*(?<value>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[a-z]*)\s*$")]
    private static partial Regex Shape();
}
