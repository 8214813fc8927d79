using System.Globalization;
using Acornima;
using Acornima.Ast;
using Jint;

namespace PolicyEngine.Scripting;

/// <summary>Parses and prepares predicates once, when the rule pack loads.</summary>
public static class PredicateCompiler
{
    /// <summary>
    /// Text placed before the body. It has no line break, so the body's line 1 is the program's line 1 and the body's
    /// other lines keep their numbers; only columns on line 1 are shifted, by <see cref="Prefix"/>'s length.
    /// </summary>
    internal const string Prefix = "(function (ctx) { \"use strict\"; ";

    /// <summary>Text after the body. The line break ends a trailing <c>//</c> comment in the body.</summary>
    internal const string Suffix = "\n})";

    /// <summary>
    /// Parses and prepares a predicate body. The runtime calls it as
    /// <c>function (ctx) { "use strict"; &lt;body&gt; }</c>.
    /// </summary>
    /// <param name="source">The function body.</param>
    /// <param name="sourceName">A name for messages and stack traces, for example the rule's YAML location.</param>
    /// <param name="options">Sandbox options; only <see cref="ScriptSandboxOptions.MaxSourceLength"/> is used here.</param>
    /// <returns>The predicate, or diagnostics with script-relative 1-based positions.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public static PredicateCompilation Compile(string source, string sourceName, ScriptSandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid(nameof(options));

        if (source.Length > options.MaxSourceLength)
        {
            return Failed(new ScriptDiagnostic(
                ScriptErrorCodes.SourceTooLong,
                string.Create(CultureInfo.InvariantCulture,
                    $"predicate source is {source.Length} characters long; maxSourceLength is {options.MaxSourceLength}"),
                1,
                1));
        }

        var wrapped = string.Concat(Prefix, source, Suffix);
        Prepared<Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(wrapped, sourceName, strict: true);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            // Acornima: 1-based line, 0-based column.
            var (line, column) = ToScriptPosition(source, parse.LineNumber, parse.Column);
            return Failed(new ScriptDiagnostic(
                ScriptErrorCodes.SyntaxError,
                "JavaScript syntax error: " + parse.Description,
                line,
                column));
        }

        // The body must stay inside the wrapper: a body such as "}); other(); (function () {" parses, but is no longer
        // one function. Reject anything but a single function expression spanning the whole wrapper.
        var program = prepared.Program!;
        if (program.Body is not [ExpressionStatement { Expression: FunctionExpression function }]
            || function.Body.Range.End != wrapped.Length - 1)
        {
            var (escapeLine, escapeColumn) = FindEscape(program, wrapped.Length);
            var (line, column) = ToScriptPosition(source, escapeLine, escapeColumn);
            return Failed(new ScriptDiagnostic(
                ScriptErrorCodes.SyntaxError,
                "JavaScript syntax error: unbalanced '}' closes the predicate function",
                line,
                column));
        }

        return new PredicateCompilation(new CompiledPredicate(prepared, source, sourceName), []);
    }

    private static PredicateCompilation Failed(ScriptDiagnostic diagnostic) => new(null, [diagnostic]);

    private static (int Line, int Column) FindEscape(Acornima.Ast.Program program, int wrappedLength)
    {
        // The closing brace of the first function is where the body escaped the wrapper.
        if (program.Body.Count > 0 && program.Body[0] is ExpressionStatement statement)
        {
            var node = statement.Expression;
            while (node is SequenceExpression sequence && sequence.Expressions.Count > 0)
            {
                node = sequence.Expressions[0];
            }

            while (node is CallExpression call)
            {
                node = call.Callee;
            }

            if (node is FunctionExpression function && function.Body.Range.End < wrappedLength - 1)
            {
                var end = function.Body.Location.End;
                return (end.Line, end.Column - 1);
            }
        }

        var start = program.Body.Count > 1 ? program.Body[1].Location.Start : program.Location.Start;
        return (start.Line, start.Column);
    }

    /// <summary>
    /// Maps a position in the wrapped program (1-based line, 0-based column) to the body (both 1-based).
    /// </summary>
    internal static (int Line, int Column) ToScriptPosition(string source, int line, int zeroBasedColumn)
    {
        var column = zeroBasedColumn + 1;
        if (line == 1)
        {
            column -= Prefix.Length;
        }

        // A position in the suffix (an unclosed block reported at the wrapper's end) points just past the body.
        var lastLine = 1;
        var lastLineStart = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                lastLine++;
                lastLineStart = i + 1;
            }
        }

        if (line > lastLine)
        {
            return (lastLine, source.Length - lastLineStart + 1);
        }

        return (Math.Max(line, 1), Math.Max(column, 1));
    }
}
