namespace PolicyEngine.Fuzz.Targets;

/// <summary>
/// One fuzz target: takes any bytes and must return normally. An exception that escapes <see cref="Run"/> is a
/// crash (AFL++ saves the input); a hang is one that outruns AFL++'s timeout.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name run.sh and the command line use.</summary>
    string Name { get; }

    /// <summary>Feeds one input to the code under test and checks what the code promises about its answer.</summary>
    void Run(ReadOnlySpan<byte> input);
}

/// <summary>The code under test broke one of its own promises (not an exception it is allowed to throw).</summary>
internal sealed class FuzzInvariantException(string message) : Exception(message);
