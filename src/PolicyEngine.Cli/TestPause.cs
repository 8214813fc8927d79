namespace PolicyEngine.Cli;

/// <summary>
/// A hook for the tests of signal handling, inert unless POLICY_ENGINE_TEST_PAUSE is set to <c>STAGE:MARKER</c>:
/// when the run reaches STAGE (<c>evaluate</c>: before evaluating; <c>write</c>: inside the write of a report file,
/// with its temporary file open and partly written), it creates the file MARKER and waits until the run is cancelled.
/// A test waits for the marker, sends the signal and so knows where the run was without timing anything.
/// </summary>
internal static class TestPause
{
    private const string Variable = "POLICY_ENGINE_TEST_PAUSE";

    public static void At(string stage, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { } setting
            || setting.Split(':', 2) is not [var pausedStage, var marker]
            || !string.Equals(pausedStage, stage, StringComparison.Ordinal)
            || !cancellationToken.CanBeCanceled)
        {
            return;
        }

        File.WriteAllText(marker, stage);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
