using System.Runtime.InteropServices;
using PolicyEngine.Core.Files;

namespace PolicyEngine.Cli;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM into a cancellation the commands observe: the first signal cancels
/// <see cref="Token"/> and keeps the process alive, so the command stops where it is, deletes its temporary files,
/// prints PE3108 and exits with <see cref="ExitCodes.Cancelled"/>. A second signal is for a command that does not stop:
/// the temporary files still being written are deleted and the process ends at once, as without a handler.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
        // Environment.Exit and the runtime's own SIGTERM shutdown end the process without unwinding the writes.
        AppDomain.CurrentDomain.ProcessExit += DeleteTemporaryFiles;
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that cancelled <see cref="Token"/>, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit code of a run that this interruption cancelled: 130 for SIGINT, 143 for SIGTERM (128 + the signal's number, as shells report it).</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : ExitCodes.Cancelled;

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= DeleteTemporaryFiles;
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Signal = context.Signal;
            context.Cancel = true;
            _source.Cancel();
            return;
        }

        AtomicFile.DeleteInFlight();
    }

    private static void DeleteTemporaryFiles(object? sender, EventArgs e) => AtomicFile.DeleteInFlight();
}
