using System.Buffers;
using System.Text.Unicode;
using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Core.Yaml;

/// <summary>
/// Reads a text file that must be UTF-8. <see cref="File.ReadAllText(string)"/> silently turns bytes that are not
/// UTF-8 (a file saved as Latin-1) into U+FFFD, so an id or a pattern would change without anyone noticing.
/// </summary>
public static class Utf8TextFile
{
    /// <summary>Returns the text, or null after adding a diagnostic with <paramref name="code"/> at the first invalid byte.</summary>
    public static string? Read(string path, string display, string code, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return Decode(File.ReadAllBytes(path), display, code, diagnostics);
    }

    /// <summary>Decodes a file's bytes as <see cref="Read"/> does (the fuzz targets feed bytes through here).</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string display, string code, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var span = bytes;
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        var chars = ArrayPool<char>.Shared.Rent(span.Length);
        try
        {
            var status = Utf8.ToUtf16(span, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
            {
                return new string(chars, 0, written);
            }

            var text = chars.AsSpan(0, written);
            var line = text.Count('\n') + 1;
            var column = written - (text.LastIndexOf('\n') + 1) + 1;
            diagnostics.Add(Diagnostic.Error(code, new SourceLocation(display, line, column),
                $"The file is not valid UTF-8: byte 0x{span[read]:X2} at this position is not part of a UTF-8 character. Save the file as UTF-8 (a Latin-1 'é' is one byte; in UTF-8 it is two)."));
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
