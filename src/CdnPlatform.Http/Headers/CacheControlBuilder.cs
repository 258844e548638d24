namespace CdnPlatform.Http.Headers;

/// <summary>Accumulates directives across field lines, then freezes them into a <see cref="CacheControl"/>.</summary>
internal struct CacheControlBuilder
{
    private CacheControl _result;
    private bool _conflicts;
    // An unqualified private / no-cache covers the whole response, whatever qualified forms also appear.
    private bool _privateUnqualified;
    private bool _noCacheUnqualified;

    public CacheControlBuilder()
    {
        _result = CacheControl.Empty;
    }

    public void Add(ReadOnlySpan<char> name, string? value, bool malformed)
    {
        var r = _result;
        switch (name)
        {
            case var n when Is(n, "no-store"): r = r with { NoStore = true }; break;
            case var n when Is(n, "no-cache"):
                _noCacheUnqualified |= string.IsNullOrWhiteSpace(value);
                r = r with { NoCache = true, NoCacheFields = Append(r.NoCacheFields, value) };
                break;
            case var n when Is(n, "private"):
                _privateUnqualified |= string.IsNullOrWhiteSpace(value);
                r = r with { Private = true, PrivateFields = Append(r.PrivateFields, value) };
                break;
            case var n when Is(n, "public"): r = r with { Public = true }; break;
            case var n when Is(n, "must-revalidate"): r = r with { MustRevalidate = true }; break;
            case var n when Is(n, "proxy-revalidate"): r = r with { ProxyRevalidate = true }; break;
            case var n when Is(n, "must-understand"): r = r with { MustUnderstand = true }; break;
            case var n when Is(n, "no-transform"): r = r with { NoTransform = true }; break;
            case var n when Is(n, "immutable"): r = r with { Immutable = true }; break;
            case var n when Is(n, "only-if-cached"): r = r with { OnlyIfCached = true }; break;
            case var n when Is(n, "max-age"): r = r with { MaxAge = Delta(r.MaxAge, value, malformed) }; break;
            case var n when Is(n, "s-maxage"): r = r with { SharedMaxAge = Delta(r.SharedMaxAge, value, malformed) }; break;
            case var n when Is(n, "stale-while-revalidate"):
                r = r with { StaleWhileRevalidate = Delta(r.StaleWhileRevalidate, value, malformed) };
                break;
            case var n when Is(n, "stale-if-error"): r = r with { StaleIfError = Delta(r.StaleIfError, value, malformed) }; break;
            case var n when Is(n, "min-fresh"): r = r with { MinFresh = Delta(r.MinFresh, value, malformed) }; break;
            case var n when Is(n, "max-stale"):
                r = r with { MaxStale = value is null && !malformed ? CacheControl.MaxDelta : Delta(r.MaxStale, value, malformed) };
                break;
            default: break; // RFC 9111 §5.2.3: unknown extensions are ignored.
        }
        _result = r;
    }

    public readonly CacheControl Build()
    {
        var result = _result;
        if (_privateUnqualified && result.PrivateFields.Count > 0)
        {
            result = result with { PrivateFields = [] };
        }
        if (_noCacheUnqualified && result.NoCacheFields.Count > 0)
        {
            result = result with { NoCacheFields = [] };
        }
        return _conflicts ? result with { HasConflicts = true } : result;
    }

    /// <summary>Directives whose value is delta-seconds (RFC 9111 §5.2): only those can carry an invalid lifetime.</summary>
    public static bool TakesDeltaSeconds(ReadOnlySpan<char> name) =>
        Is(name, "max-age") || Is(name, "s-maxage") || Is(name, "stale-while-revalidate") || Is(name, "stale-if-error")
        || Is(name, "min-fresh") || Is(name, "max-stale");

    private static bool Is(ReadOnlySpan<char> name, string directive) => name.Equals(directive, StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<string> Append(IReadOnlyList<string> fields, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fields;
        }
        var list = new List<string>(fields);
        foreach (var field in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(field.ToLowerInvariant());
        }
        return list;
    }

    /// <summary>
    /// Parses delta-seconds (1*DIGIT, quoted tolerated as §5.2 recommends). A missing, negative or
    /// non-numeric value marks a conflict: §4.2.1 encourages treating invalid freshness as stale. A second
    /// occurrence is ignored: §4.2.1 lets a cache use the first one, which also answers the suite's
    /// freshness-max-age-two-* and -multiple-* checks the way most caches do.
    /// </summary>
    private TimeSpan? Delta(TimeSpan? previous, string? value, bool malformed)
    {
        if (malformed || !CacheControlParsing.TryParseDeltaSeconds(value, out var delta))
        {
            _conflicts = true;
            return previous ?? TimeSpan.Zero;
        }
        return previous ?? delta;
    }
}
