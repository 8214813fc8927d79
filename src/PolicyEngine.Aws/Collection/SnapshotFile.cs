using System.IO.Compression;
using System.Text.Json;

namespace PolicyEngine.Aws.Collection;

/// <summary>Writes a snapshot atomically: temp file in the target directory, fsync, rename.</summary>
internal static class SnapshotFile
{
    public static void Write(string path, bool gzip, Action<Utf8JsonWriter> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        gzip |= full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (gzip)
                {
                    using (var gz = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
                    using (var writer = new Utf8JsonWriter(gz, new JsonWriterOptions { Indented = true }))
                    {
                        write(writer);
                    }
                }
                else
                {
                    using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
                    write(writer);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }

    /// <summary>Reads a JSON or gzip JSON file fully.</summary>
    public static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        var n = file.Read(magic, 0, 2);
        file.Position = 0;
        using var ms = new MemoryStream();
        if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            gz.CopyTo(ms);
        }
        else
        {
            file.CopyTo(ms);
        }

        return ms.ToArray();
    }
}
