using System.Text.Json;
using PolicyEngine.Aws.Import;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Cli;

/// <summary>
/// Lets <c>evaluate</c> take an AWS Config snapshot file (as delivered to S3) where a snapshot is expected: such a file
/// has <c>configurationItems</c> and no <c>formatVersion</c> at its top level. It is imported with
/// <see cref="SnapshotImporter"/> and the result is evaluated.
/// </summary>
internal static class ConfigSnapshotInput
{
    /// <summary>
    /// Loads the snapshot for <c>evaluate</c>: a PolicyEngine snapshot as it is, an AWS Config snapshot file (top-level
    /// <c>configurationItems</c> and no <c>formatVersion</c>) through the importer. The file is read once; unreadable
    /// files and invalid JSON are reported by the snapshot loader with their location.
    /// </summary>
    public static Snapshot? Load(string path, ICollection<Diagnostic> diagnostics)
    {
        if (SnapshotLoader.OpenFile(path, diagnostics, SnapshotLoader.DefaultMaxBytes) is not { } bytes)
        {
            return null;
        }

        bool isConfig;
        try
        {
            isConfig = HasConfigurationItemsOnly(bytes.Utf8.Span);
        }
        catch (JsonException)
        {
            isConfig = false;
        }

        if (isConfig)
        {
            bytes.Dispose();
            return ImportInMemory(path, diagnostics);
        }

        return SnapshotLoader.Load(bytes, path, diagnostics);
    }

    /// <summary>Imports a Config snapshot and loads the result; problems are diagnostics located in the input file.</summary>
    /// <remarks>
    /// The importer writes a file, so the import goes through a private temporary directory that is deleted
    /// afterwards. Line and column numbers of findings refer to the snapshot that <c>policy-engine import</c> writes
    /// from the same input.
    /// </remarks>
    public static Snapshot? ImportInMemory(string path, ICollection<Diagnostic> diagnostics)
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-import-");
        try
        {
            var imported = Path.Combine(directory.FullName, "snapshot.json");
            SnapshotImporter.Import([path], imported);
            return SnapshotLoader.Load(File.ReadAllBytes(imported), path, diagnostics);
        }
        catch (InvalidDataException ex)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotShape, new SourceLocation(path, 0, 0), $"Cannot import the AWS Config snapshot: {OneLine(ex.Message)}"));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotUnreadable, new SourceLocation(path, 0, 0), $"Cannot read the snapshot: {OneLine(ex.Message)}"));
            return null;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Keeps a message on one line.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>
    /// Scans only the top-level property names (values are skipped, not materialised), and stops at
    /// <c>formatVersion</c>: the collector and the samples write it first, so a PolicyEngine snapshot is told apart
    /// after a few bytes instead of a second pass over the whole file (0.9 s of CPU at 1,000 accounts, docs/benchmarks.md).
    /// </summary>
    private static bool HasConfigurationItemsOnly(ReadOnlySpan<byte> json)
    {
        if (json.Length >= 3 && json[0] == 0xEF && json[1] == 0xBB && json[2] == 0xBF)
        {
            json = json[3..];
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var items = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            items |= reader.ValueTextEquals("configurationItems"u8);
            if (reader.ValueTextEquals("formatVersion"u8))
            {
                return false;
            }

            reader.Read();
            reader.Skip();
        }

        return items;
    }
}
