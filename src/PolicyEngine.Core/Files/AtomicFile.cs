using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PolicyEngine.Core.Files;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never half of it: write a
/// temporary file in the same directory, flush it to disk, then rename it over the target. Every file the engine
/// writes (reports, snapshots, scaffolded rules) goes through here, so the temporary files have one naming,
/// <c>.NAME.PID.GUID.tmp</c>, and one clean-up:
/// <list type="bullet">
/// <item>a write that fails or is cancelled deletes its temporary file;</item>
/// <item>a process that is told to stop deletes the temporary files it still has open (<see cref="DeleteInFlight"/>);</item>
/// <item>a process killed outright (SIGKILL, power loss) cannot, so every write first removes the stale temporary
/// files of this naming in its directory (<see cref="RemoveStale"/>).</item>
/// </list>
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// A temporary file younger than this is left alone when the process named in it still runs: it may be a
    /// concurrent run writing into the same directory. Older than this, its process id has most likely been reused.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    // The temporary files this process is writing now. A signal handler deletes them before the process ends.
    private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="path"/> atomically, replacing an existing file.</summary>
    public static void Write(string path, Action<Stream> write, CancellationToken cancellationToken = default) =>
        Write(path, write, overwrite: true, cancellationToken);

    /// <summary>
    /// Writes a new file atomically and refuses to replace one: the temporary file is renamed without overwrite, so
    /// a file that appeared meanwhile is kept and this throws <see cref="IOException"/>.
    /// </summary>
    public static void CreateNew(string path, string text) =>
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)), overwrite: false, CancellationToken.None);

    /// <summary>The temporary file name for <paramref name="fileName"/> written by process <paramref name="processId"/>.</summary>
    public static string TemporaryName(string fileName, int processId) =>
        string.Create(CultureInfo.InvariantCulture, $".{fileName}.{processId}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Deletes the temporary files this process is writing now. Called when the process is told to stop: the writes
    /// that own them then fail, which is what a stopping process wants.
    /// </summary>
    public static void DeleteInFlight()
    {
        foreach (var temporary in InFlight.Keys)
        {
            TryDelete(temporary);
            InFlight.TryRemove(temporary, out _);
        }
    }

    /// <summary>
    /// Removes the temporary files of this naming in <paramref name="directory"/> that no run is writing any more.
    /// A file is stale when no process holds it open (a writer keeps its temporary file locked until the rename) and
    /// either the process named in it is gone, or it is this process's id but not one of its own writes (a container
    /// whose entry point always has the same id), or the file is older than <see cref="StaleAfter"/>. So a concurrent
    /// run's temporary file is never removed under it. Returns the files removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveStale(string directory, DateTimeOffset? now = null)
    {
        var removed = new List<string>();
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, ".*.tmp").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return removed;
        }

        var current = now ?? DateTimeOffset.UtcNow;
        foreach (var candidate in candidates)
        {
            var match = TemporaryPattern().Match(Path.GetFileName(candidate));
            if (!match.Success || InFlight.ContainsKey(candidate)
                || !int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
            {
                continue;
            }

            var abandoned = processId == Environment.ProcessId || !IsRunning(processId)
                || current - File.GetLastWriteTimeUtc(candidate) > StaleAfter;
            if (abandoned && TryDeleteUnlocked(candidate))
            {
                removed.Add(candidate);
            }
        }

        return removed;
    }

    private static void Write(string path, Action<Stream> write, bool overwrite, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        RemoveStale(directory);
        cancellationToken.ThrowIfCancellationRequested();
        var temporary = Path.Combine(directory, TemporaryName(Path.GetFileName(full), Environment.ProcessId));
        InFlight.TryAdd(temporary, 0);
        try
        {
            // FileShare.None locks the file (flock on Unix) until it is closed: that is how RemoveStale in another
            // process tells a temporary file being written from an abandoned one.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(cancellationToken.CanBeCanceled ? new CancellableStream(stream, cancellationToken) : stream);
                cancellationToken.ThrowIfCancellationRequested();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            InFlight.TryRemove(temporary, out _);
            TryDelete(temporary);
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Deletes a file that no process holds open; a file that is locked is being written and stays.</summary>
    private static bool TryDeleteUnlocked(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next write into this directory removes it as stale.
        }
    }

    [GeneratedRegex(@"^\..+\.(?<pid>[0-9]{1,10})\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryPattern();

    /// <summary>Passes writes through and throws <see cref="OperationCanceledException"/> once the token is cancelled, so a stopped run does not finish a large report.</summary>
    private sealed class CancellableStream(Stream inner, CancellationToken cancellationToken) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
            cancellationToken.ThrowIfCancellationRequested();
            inner.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inner.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inner.WriteByte(value);
        }
    }
}
