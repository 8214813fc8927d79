namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// The bytes of a snapshot file as <see cref="SnapshotLoader.OpenFile"/> opened it: an array, or the file mapped into
/// memory. A snapshot loaded from them holds them until it is disposed.
/// </summary>
public sealed class SnapshotBytes : IDisposable
{
    private IDisposable? _mapping;

    internal SnapshotBytes(ReadOnlyMemory<byte> utf8, IDisposable? mapping)
    {
        Utf8 = utf8;
        _mapping = mapping;
    }

    /// <summary>The file's bytes (decompressed, for a gzip file); not to be used once disposed.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>Whether the bytes are the file mapped into memory rather than a copy.</summary>
    internal bool IsMapped => _mapping is not null;

    /// <summary>Releases a mapped file.</summary>
    public void Dispose()
    {
        _mapping?.Dispose();
        _mapping = null;
    }
}
