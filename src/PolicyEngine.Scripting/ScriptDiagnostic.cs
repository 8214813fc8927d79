namespace PolicyEngine.Scripting;

/// <summary>A problem found while compiling a predicate.</summary>
/// <param name="Code">One of the compile codes in <see cref="ScriptErrorCodes"/> (<c>PE21xx</c>).</param>
/// <param name="Message">A human-readable description.</param>
/// <param name="Line">1-based line, relative to the predicate source (line 1 is the source's first line).</param>
/// <param name="Column">1-based column, relative to the predicate source, counted in UTF-16 code units.</param>
public sealed record ScriptDiagnostic(string Code, string Message, int Line, int Column);
