using System.Text;

namespace PolicyEngine.Core.Snapshots;

/// <summary>Line and column counting as the locator counts them: lines end at '\n', columns are UTF-16 units.</summary>
internal static class TextPosition
{
    /// <summary>
    /// Moves a position (1-based <paramref name="line"/>, <paramref name="column"/> = UTF-16 units before it on its line)
    /// past <paramref name="bytes"/>.
    /// </summary>
    public static void Advance(ReadOnlySpan<byte> bytes, ref int line, ref int column)
    {
        var last = bytes.LastIndexOf((byte)'\n');
        if (last < 0)
        {
            column += Encoding.UTF8.GetCharCount(bytes);
            return;
        }

        line += bytes.Count((byte)'\n');
        column = Encoding.UTF8.GetCharCount(bytes[(last + 1)..]);
    }
}
