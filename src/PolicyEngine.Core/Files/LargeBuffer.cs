using System.Runtime.InteropServices;

namespace PolicyEngine.Core.Files;

/// <summary>
/// The array a large file is read into when it is not mapped (<see cref="MappedFile"/>): a gzip file's compressed
/// bytes, or a file that cannot be mapped. On Linux it asks the kernel to back the array with transparent huge pages
/// (<c>madvise(MADV_HUGEPAGE)</c>), where the system allows them only on request (the <c>madvise</c> setting,
/// the default of several distributions).
/// </summary>
/// <remarks>
/// Why: the first touch of every 4 KB page of a fresh array is a page fault, and on a virtual machine a fault cost
/// about 10 µs. Reading a 751 MB snapshot made about 190,000 of them, 2 s of the load (docs/benchmarks.md). With
/// 2 MB pages it is a few hundred. The advice is only advice: it changes no content, and where it is refused or the
/// platform has no such call the array is an ordinary one. The array is pinned (allocated on the pinned object heap)
/// so that the advised range stays where it was advised.
/// </remarks>
internal static partial class LargeBuffer
{
    /// <summary>Below this size the faults cost too little to matter.</summary>
    private const int HugePageThreshold = 64 << 20;

    private const nint HugePage = 2 << 20;

    private const int MadvHugePage = 14;

    /// <summary>An uninitialized array of <paramref name="length"/> bytes.</summary>
    public static byte[] Allocate(int length)
    {
        if (length < HugePageThreshold || !OperatingSystem.IsLinux())
        {
            return GC.AllocateUninitializedArray<byte>(length);
        }

        var array = GC.AllocateUninitializedArray<byte>(length, pinned: true);
        var start = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        // madvise wants page-aligned ranges; advise the whole 2 MB pages inside the array.
        var first = (start + HugePage - 1) & ~(HugePage - 1);
        var end = (start + length) & ~(HugePage - 1);
        if (end > first)
        {
            try
            {
                _ = Advise(first, (nuint)(end - first), MadvHugePage);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // A libc without madvise: the array works as it is.
            }
        }

        return array;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}
