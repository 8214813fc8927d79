using System.Diagnostics;
using Jint;
using Jint.Runtime;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// The time and memory budget of one predicate call, shared by the script and by the host code it calls. Time is the
/// evaluating thread's CPU time (<see cref="ThreadCpuClock"/>), not the wall clock: a wall-clock limit made the same
/// snapshot give an Error finding on a loaded machine and a verdict on a quiet one.
/// </summary>
/// <remarks>
/// Jint's own time constraint starts at every Evaluate, including the engine's setup, so a slow first setup on a busy
/// machine used to fail the first call of each thread (PE3001). This budget is armed only while a call runs: building
/// the engine and the predicate's function object are free. Host calls (ctx.query, JSON.stringify, string built-ins)
/// charge their work to it through <see cref="Charge"/> and <see cref="CheckTime"/>, so they stop with the same
/// PE3102/PE3105 as the script would.
/// </remarks>
internal sealed class CallBudget : Constraint
{
    private readonly long _timeoutMs;
    private readonly long _memoryLimit;
    // Jint checks before every statement, so the clocks are read on every 256th check only (a few microseconds of script
    // between reads). Host code's checks always read them.
    private const int StatementsPerClockRead = 256;

    private long _deadline = long.MaxValue;
    // A thread cannot use more CPU time than the wall-clock time that passed, so while the wall clock (cheap to read)
    // shows less than the limit since Arm, the CPU clock (a system call) need not be read at all.
    private long _armedAtWallTicks;
    private long _wallTicksBeforeCpuCheck;
    private long _memoryStart;
    private int _statementsSinceClockRead;

    public CallBudget(long timeoutMs, long memoryLimitBytes)
    {
        _timeoutMs = timeoutMs;
        _memoryLimit = memoryLimitBytes;
    }

    /// <summary>The most bytes one call may allocate; host estimates are measured against it.</summary>
    public long MemoryLimit => _memoryLimit;

    /// <summary>Starts the call's clock and allocation count.</summary>
    public void Arm()
    {
        _memoryStart = GC.GetAllocatedBytesForCurrentThread();
        _statementsSinceClockRead = 0;
        _armedAtWallTicks = Stopwatch.GetTimestamp();
        _wallTicksBeforeCpuCheck = _timeoutMs * Stopwatch.Frequency / 1000;
        _deadline = ThreadCpuClock.NowMs() + _timeoutMs;
    }

    /// <summary>Stops the clock: setup work between calls is not charged.</summary>
    public void Disarm() => _deadline = long.MaxValue;

    /// <summary>Called by Jint for every statement.</summary>
    public override void Check()
    {
        if (++_statementsSinceClockRead >= StatementsPerClockRead)
        {
            _statementsSinceClockRead = 0;
            CheckTime();
        }
    }

    /// <summary>Jint resets constraints at every Evaluate and Call; the budget spans the whole call, so nothing happens here.</summary>
    public override void Reset()
    {
    }

    /// <summary>Throws <see cref="TimeoutException"/> once the call's time is spent.</summary>
    public void CheckTime()
    {
        if (_deadline != long.MaxValue && Stopwatch.GetTimestamp() - _armedAtWallTicks > _wallTicksBeforeCpuCheck && ThreadCpuClock.NowMs() > _deadline)
        {
            throw new TimeoutException();
        }
    }

    /// <summary>
    /// Announces <paramref name="bytes"/> that host code is about to allocate; throws
    /// <see cref="MemoryLimitExceededException"/> when the call's allocations so far plus the announcement pass the limit.
    /// </summary>
    public void Charge(long bytes)
    {
        CheckTime();
        if (_deadline == long.MaxValue)
        {
            return;
        }

        var used = GC.GetAllocatedBytesForCurrentThread() - _memoryStart + Math.Max(bytes, 0);
        if (used > _memoryLimit)
        {
            throw new MemoryLimitExceededException($"host call would exceed the memory limit of {_memoryLimit} bytes");
        }
    }
}
