namespace PolicyEngine.Cli;

/// <summary>
/// A one-line progress indicator on standard error for work that may take a while: nothing during the first
/// <see cref="Delay"/> (a quick evaluation prints nothing), then "evaluating 184 rules on snapshot.json… 3 s", rewritten
/// in place every second, and erased when the work ends so the report starts on a clean line. It is shown only when
/// standard error is a terminal and CI is unset: never in a pipe, a file or a CI log.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    /// <summary>How long the work runs before the line appears.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly TextWriter _error;
    private readonly string _doing;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly Lock _lock = new();
    private bool _shown;
    private bool _done;

    private ProgressLine(TextWriter error, string doing, bool enabled)
    {
        _error = error;
        _doing = doing;
        if (enabled)
        {
            _timer = new Timer(_ => Show(), null, Delay, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>True when a progress line may be shown: <paramref name="error"/> is the terminal's standard error and CI is unset.</summary>
    public static bool Allowed(TextWriter error, Func<string, string?> environment) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && environment("CI") is null;

    /// <summary>Starts the line for <paramref name="doing"/> (e.g. "evaluating 184 rules on s.json"); disabled, it writes nothing.</summary>
    public static ProgressLine Start(TextWriter error, string doing, bool enabled) => new(error, doing, enabled);

    private void Show()
    {
        lock (_lock)
        {
            if (_done)
            {
                return;
            }

            _shown = true;
            _error.Write($"\r{_doing}… {(int)_clock.Elapsed.TotalSeconds} s\u001b[K");
            _error.Flush();
        }
    }

    /// <summary>Stops the line and erases it when it was shown.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            _done = true;
            if (_shown)
            {
                _error.Write("\r\u001b[K");
                _error.Flush();
            }
        }
    }
}
