using System.IO.Compression;
using System.Text.Json;
using PolicyEngine.Core.Files;

namespace PolicyEngine.Aws.Collection;

/// <summary>Writes a snapshot atomically (<see cref="AtomicFile"/>), gzip-compressed when asked or when the name ends in .gz; reads one back.</summary>
internal static class SnapshotFile
{
    public static void Write(string path, bool gzip, Action<Utf8JsonWriter> write, CancellationToken cancellationToken = default)
    {
        gzip |= path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, stream =>
        {
            if (gzip)
            {
                using var gz = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
                using var writer = new Utf8JsonWriter(gz, new JsonWriterOptions { Indented = true });
                write(writer);
            }
            else
            {
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                write(writer);
            }
        }, cancellationToken);
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
