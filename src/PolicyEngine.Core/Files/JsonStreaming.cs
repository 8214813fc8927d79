using System.Text.Json;

namespace PolicyEngine.Core.Files;

/// <summary>Large JSON files (reports, snapshots) reach their stream as they are written.</summary>
public static class JsonStreaming
{
    /// <summary>How much a writer may hold before <see cref="FlushWhenFull"/> hands it to the stream.</summary>
    public const int FlushThreshold = 1 << 20;

    /// <summary>
    /// Hands what <paramref name="writer"/> holds to its stream once it holds <see cref="FlushThreshold"/> bytes.
    /// Writers of large arrays call it after each item: a <see cref="Utf8JsonWriter"/> keeps everything written until
    /// it is flushed, so a 10,000-account report (170 MB) or snapshot (750 MB) was held whole, in a buffer grown by
    /// doubling, before one write at the end.
    /// </summary>
    public static void FlushWhenFull(this Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.BytesPending >= FlushThreshold)
        {
            writer.Flush();
        }
    }
}
