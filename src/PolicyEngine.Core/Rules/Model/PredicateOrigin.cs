using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Core.Rules.Model;

/// <summary>
/// Where a predicate's text is written in its rule file, so that a position in the predicate (a compile error, a
/// thrown error, a limit) is reported at the file's line and column rather than at the predicate's own line 1.
/// </summary>
/// <param name="File">The rule file.</param>
/// <param name="Line">The file line of the predicate's first line.</param>
/// <param name="Column">The file column of the predicate's first character.</param>
/// <param name="IsBlock">
/// True for a block scalar (<c>predicate: |</c>): every line is indented like the first, so a position's column is
/// shifted by the indentation on every line. False for a flow scalar: only the first line is shifted.
/// </param>
public sealed record PredicateOrigin(string File, int Line, int Column, bool IsBlock)
{
    /// <summary>Maps a 1-based line and column in the predicate to the rule file.</summary>
    public SourceLocation Map(int line, int column) =>
        IsBlock ? new SourceLocation(File, Line + line - 1, Column + column - 1)
        : line == 1 ? new SourceLocation(File, Line, Column + column - 1)
        : new SourceLocation(File, Line + line - 1, column);
}
