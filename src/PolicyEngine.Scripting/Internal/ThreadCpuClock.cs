using System.Runtime.InteropServices;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// The CPU time the current thread has used, in milliseconds. A predicate's time limit is measured with it rather than
/// with the wall clock, so that other processes on a busy machine, or the thread waiting to be scheduled, do not spend a
/// predicate's budget: the same snapshot then gives the same findings on a quiet laptop and on a loaded CI runner.
/// Where the operating system gives no per-thread clock, the wall clock stands in.
/// </summary>
internal static partial class ThreadCpuClock
{
    // clock_gettime's id for the calling thread's CPU time: 3 on Linux, 16 on macOS.
    private static readonly int ClockId = OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() ? 16 : -1;

    private static readonly bool Available = Probe();

    /// <summary>True when <see cref="NowMs"/> is the thread's CPU time, false when it is the wall clock.</summary>
    public static bool MeasuresCpuTime => Available;

    /// <summary>Milliseconds of CPU time used by the calling thread (or wall-clock milliseconds where not available).</summary>
    public static long NowMs()
    {
        if (Available)
        {
            if (ClockId >= 0)
            {
                if (ClockGetTime(ClockId, out var time) == 0)
                {
                    return (time.Seconds * 1000) + (time.Nanoseconds / 1_000_000);
                }
            }
            else if (GetThreadTimes(GetCurrentThread(), out _, out _, out var kernel, out var user))
            {
                // FILETIME units of 100 ns.
                return (kernel + user) / 10_000;
            }
        }

        return Environment.TickCount64;
    }

    private static bool Probe()
    {
        try
        {
            return ClockId >= 0
                ? ClockGetTime(ClockId, out _) == 0
                : OperatingSystem.IsWindows() && GetThreadTimes(GetCurrentThread(), out _, out _, out _, out _);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [LibraryImport("kernel32.dll")]
    private static partial nint GetCurrentThread();

    [LibraryImport("kernel32.dll", EntryPoint = "GetThreadTimes")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetThreadTimes(nint thread, out long creation, out long exit, out long kernel, out long user);
}
