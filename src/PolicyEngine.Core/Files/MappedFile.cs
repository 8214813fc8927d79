using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace PolicyEngine.Core.Files;

/// <summary>
/// A file's bytes, mapped read-only into memory rather than read into an array: the pages are the system's file
/// cache itself, so nothing is copied and no fresh memory is zeroed for them.
/// </summary>
/// <remarks>
/// Why: reading a 76 MB snapshot into an array took 45-130 ms of a 0.7 s evaluation (the kernel clears every page
/// of the array before the copy); mapped, the parser reads the cached pages in place (docs/benchmarks.md). The bytes
/// must not change while they are mapped: the collector and the importer replace a snapshot by renaming a new file
/// over it, which leaves a mapped file as it was, but a file truncated in place while it is evaluated ends the process.
/// </remarks>
internal sealed unsafe partial class MappedFile : MemoryManager<byte>
{
    /// <summary>madvise(2)'s MADV_POPULATE_READ (Linux 5.14 and later).</summary>
    private const int MadvPopulateRead = 22;

    private readonly FileStream _stream;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly int _length;
    private bool _released;

    private MappedFile(FileStream stream, MemoryMappedFile file, MemoryMappedViewAccessor view, int length)
    {
        _stream = stream;
        _file = file;
        _view = view;
        _length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _start = pointer + view.PointerOffset;
        Populate();
    }

    /// <summary>
    /// Maps the regular file <paramref name="stream"/> has open, of 1 to <see cref="Array.MaxLength"/> bytes, and
    /// takes the stream (it is closed with the mapping); null when the file cannot be mapped, and the stream is left
    /// open for the caller to read instead.
    /// </summary>
    public static MappedFile? TryMap(FileStream stream)
    {
        var length = stream.Length;
        if (length is 0 or > int.MaxValue || length > Array.MaxLength)
        {
            return null;
        }

        MemoryMappedFile? file = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: true);
            var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            return new MappedFile(stream, file, view, (int)length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // A file system or file type that cannot be mapped: reading works everywhere.
            file?.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Maps every page up front, in one call: the parser then reads without a page fault per 64 KB, which cost 5-40 ms
    /// on a 76 MB file against 8 ms for this (docs/benchmarks.md). Advice only: refused, the pages fault in as read.
    /// </summary>
    private void Populate()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var first = (nint)_start & ~(nint)(Environment.SystemPageSize - 1);
        try
        {
            _ = Advise(first, (nuint)((nint)_start + _length - first), MadvPopulateRead);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without madvise: the pages fault in as they are read.
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);

    /// <inheritdoc/>
    /// <remarks>Once the mapping is released this throws: reading the bytes then would read unmapped memory.</remarks>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_released, this);
        return new(_start, _length);
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_start + elementIndex);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        // The mapping never moves.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_released)
        {
            return;
        }

        _released = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        _stream.Dispose();
    }
}
