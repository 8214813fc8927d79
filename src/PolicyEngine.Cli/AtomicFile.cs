namespace PolicyEngine.Cli;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never half of it:
/// write a temporary file in the same directory, flush it to disk, then rename it over the target.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) => Write(path, write, overwrite: true);

    /// <summary>
    /// Writes a new file atomically and refuses to replace one: the temporary file is renamed without overwrite, so
    /// a file that appeared meanwhile is kept and this throws <see cref="IOException"/>.
    /// </summary>
    public static void WriteNew(string path, string text) =>
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)), overwrite: false);

    private static void Write(string path, Action<Stream> write, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
