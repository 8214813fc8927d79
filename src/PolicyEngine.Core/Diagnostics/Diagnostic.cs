namespace PolicyEngine.Core.Diagnostics;

/// <summary>How serious a problem in user input (rules, snapshot, configuration) is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The input cannot be used; the command fails with exit code 2.</summary>
    Error,

    /// <summary>The input is usable, but something is probably wrong.</summary>
    Warning,
}

/// <summary>A position in a user's file. Line and column are 1-based, as editors and SARIF show them.</summary>
/// <param name="File">The path as the user gave it, or a logical name such as "&lt;snapshot&gt;".</param>
/// <param name="Line">1-based line; 0 when unknown.</param>
/// <param name="Column">1-based column counted in UTF-16 code units; 0 when unknown.</param>
public sealed record SourceLocation(string File, int Line, int Column) : IComparable<SourceLocation>
{
    /// <summary>A location for problems that belong to no file position.</summary>
    public static SourceLocation None { get; } = new(string.Empty, 0, 0);

    /// <inheritdoc/>
    public int CompareTo(SourceLocation? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byFile = string.CompareOrdinal(File, other.File);
        if (byFile != 0)
        {
            return byFile;
        }

        return Line != other.Line ? Line.CompareTo(other.Line) : Column.CompareTo(other.Column);
    }

    /// <summary>Orders by file, line, column.</summary>
    public static bool operator <(SourceLocation? left, SourceLocation? right) => Compare(left, right) < 0;

    /// <summary>Orders by file, line, column.</summary>
    public static bool operator >(SourceLocation? left, SourceLocation? right) => Compare(left, right) > 0;

    /// <summary>Orders by file, line, column.</summary>
    public static bool operator <=(SourceLocation? left, SourceLocation? right) => Compare(left, right) <= 0;

    /// <summary>Orders by file, line, column.</summary>
    public static bool operator >=(SourceLocation? left, SourceLocation? right) => Compare(left, right) >= 0;

    private static int Compare(SourceLocation? left, SourceLocation? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    /// <summary>The file:line:col form that terminals and editors turn into links.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>
/// One problem found in user input. Diagnostics are data, never exceptions: every stage collects them and
/// the caller decides what to do (print, fail, carry on).
/// </summary>
/// <param name="Code">A stable code from <see cref="DiagnosticCodes"/>, e.g. PE1001.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong, where, and how to fix it.</param>
/// <param name="Location">Where the problem is.</param>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, SourceLocation Location)
{
    /// <summary>Creates an error diagnostic.</summary>
    public static Diagnostic Error(string code, SourceLocation location, string message) =>
        new(code, DiagnosticSeverity.Error, message, location);

    /// <summary>Creates a warning diagnostic.</summary>
    public static Diagnostic Warning(string code, SourceLocation location, string message) =>
        new(code, DiagnosticSeverity.Warning, message, location);

    /// <summary>The one-line form printed by the CLI: <c>file:line:col: error PE1001: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var where = Location.File.Length == 0 ? string.Empty : Location + ": ";
        return $"{where}{severity} {Code}: {Message}";
    }

    /// <summary>Orders diagnostics by location, then code, so a pack's problems read top to bottom.</summary>
    public static IReadOnlyList<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .OrderBy(d => d.Location)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToArray();
}
