using PolicyEngine.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PolicyEngine.Core.Yaml;

/// <summary>
/// Reads untrusted YAML into a <see cref="YamlNode"/> tree with positions. It uses YamlDotNet's event parser,
/// which does not recurse, and builds the tree with an explicit stack, because YamlStream in YamlDotNet 18.1
/// has no depth limit and can overflow the process stack. Anchors and aliases are refused outright: a rule
/// never needs them and they are how "billion laughs" documents expand.
/// </summary>
public static partial class SafeYamlReader
{
    /// <summary>Largest rule file accepted, in characters.</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>Deepest nesting accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses one YAML document. Returns null when the file has errors; they are added to <paramref name="diagnostics"/>.</summary>
    public static YamlNode? Read(string text, string file, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errorCount = diagnostics.Count;
        var root = Parse(text, file, diagnostics, out _);
        return diagnostics.Count > errorCount ? null : root;
    }

    /// <summary>
    /// Parses one YAML document and, when it has syntax errors, recovers as a compiler does: the entry around each
    /// error (its line and the lines indented under it) is set aside, its key kept with a null value, and parsing
    /// goes on, so every syntax error is reported and the rest of the file can still be bound and checked. Line and
    /// column numbers of everything else are unchanged. Errors are added to <paramref name="diagnostics"/>; the
    /// result's <see cref="YamlRecovery.Root"/> is null only when nothing could be recovered (an empty file, more
    /// than one document, nesting or size over the limits, or an error that setting entries aside does not cure).
    /// </summary>
    public static YamlRecovery ReadRecovering(string text, string file, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var lines = text.Split('\n');
        var excised = new List<(int First, int Last)>();
        var current = text;
        for (var attempt = 0; attempt < MaxRecoveries; attempt++)
        {
            var found = new List<Diagnostic>();
            var root = Parse(current, file, found, out var errorLine);
            if (errorLine is not { } line)
            {
                // Parsed (perhaps with errors that keep the tree, such as a repeated key), or failed beyond repair.
                foreach (var diagnostic in found)
                {
                    diagnostics.Add(diagnostic);
                }

                return new YamlRecovery(root, current, excised);
            }

            // A syntax error: report it, set its entry aside and parse again. An error inside what was already set
            // aside, or above it, means the excision did not cure the previous one (this one is its echo): stop
            // there, as the plain reader does.
            var range = EntryAround(lines, line);
            if (excised.Any(e => range.First <= e.Last))
            {
                return new YamlRecovery(null, current, excised);
            }

            diagnostics.Add(found[^1]);

            excised.Add(range);
            Excise(lines, range);
            current = string.Join('\n', lines);
        }

        return new YamlRecovery(null, current, excised);
    }

    private const int MaxRecoveries = 32;

    // A block-mapping key at the start of a line, after its indentation and any "- " of a sequence item.
    [System.Text.RegularExpressions.GeneratedRegex("""^( *)((?:- +)*)([^\s#'"\-?:,\[\]{}&*!|>%@`][^:#]*?|"[^"\n]*"|'[^'\n]*')[ ]*:(?=[ ]|$)""")]
    private static partial System.Text.RegularExpressions.Regex KeyLine();

    [System.Text.RegularExpressions.GeneratedRegex("^( *)-(?=[ ]|$)")]
    private static partial System.Text.RegularExpressions.Regex ItemLine();

    /// <summary>
    /// The lines (0-based, inclusive) of the entry that holds the error on 1-based <paramref name="errorLine"/>: the
    /// nearest line at or above it that starts a key or an item, with the lines below indented deeper than it.
    /// </summary>
    private static (int First, int Last) EntryAround(string[] lines, int errorLine)
    {
        var index = Math.Min(Math.Max(errorLine, 1), lines.Length) - 1;
        while (index > 0 && IsBlank(lines[index]))
        {
            index--;
        }

        var first = index;
        while (first > 0 && !KeyLine().IsMatch(lines[first]) && !ItemLine().IsMatch(lines[first]))
        {
            first--;
        }

        if (!KeyLine().IsMatch(lines[first]) && !ItemLine().IsMatch(lines[first]))
        {
            first = index;
        }

        var indent = Indentation(lines[first]);
        var last = first;
        for (var i = first + 1; i < lines.Length && (IsBlank(lines[i]) || Indentation(lines[i]) > indent); i++)
        {
            if (!IsBlank(lines[i]))
            {
                last = i;
            }
        }

        return (first, Math.Max(last, index));
    }

    /// <summary>Blanks the entry's lines, keeping its key (with a null value) so that the key still counts as written.</summary>
    private static void Excise(string[] lines, (int First, int Last) range)
    {
        var head = lines[range.First].TrimEnd('\r');
        var key = KeyLine().Match(head);
        var item = ItemLine().Match(head);
        lines[range.First] = head.Contains('\t', StringComparison.Ordinal) ? string.Empty
            : key.Success ? $"{key.Groups[1].Value}{key.Groups[2].Value}{key.Groups[3].Value}: ~"
            : item.Success ? $"{item.Groups[1].Value}- ~"
            : string.Empty;
        for (var i = range.First + 1; i <= range.Last; i++)
        {
            lines[i] = string.Empty;
        }
    }

    private static bool IsBlank(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    private static int Indentation(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>
    /// One parse. <paramref name="errorLine"/> is set when it stopped at an error that recovery may get past (a
    /// syntax error, an anchor or alias), whose diagnostic is the last one added.
    /// </summary>
    private static YamlNode? Parse(string text, string file, ICollection<Diagnostic> diagnostics, out int? errorLine)
    {
        errorLine = null;
        if (text.Length > MaxLength)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlTooLarge, new SourceLocation(file, 1, 1),
                $"The file is {text.Length} characters long; rule files may have at most {MaxLength}. Split it into several files."));
            return null;
        }

        var parser = new Parser(new StringReader(text));
        var stack = new Stack<Frame>();
        YamlNode? root = null;
        var documents = 0;
        Mark last = Mark.Empty;
        // The flow collections ('[...]', '{...}') open around the current event, innermost last: YamlDotNet reports
        // an unclosed one with a bare exception whose message says nothing, so the reader names it itself.
        var flows = new Stack<(Mark Start, char Open)?>();
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.Start;
                switch (current)
                {
                    case DocumentStart ds when !ds.IsImplicit || documents > 0:
                        documents++;
                        if (documents > 1)
                        {
                            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlMultipleDocuments, At(file, ds.Start),
                                "A rule file holds exactly one YAML document; remove the second '---' or move that rule into its own file."));
                            return null;
                        }

                        break;
                    case DocumentStart:
                        documents++;
                        break;
                    case AnchorAlias alias:
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlAlias, At(file, alias.Start),
                            $"Alias '*{alias.Value}' is not allowed: rule files may not use anchors or aliases. Write the value out in full."));
                        errorLine = (int)alias.Start.Line;
                        return null;
                    case NodeEvent { Anchor.IsEmpty: false } anchored:
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlAlias, At(file, anchored.Start),
                            $"Anchor '&{anchored.Anchor.Value}' is not allowed: rule files may not use anchors or aliases. Write the value out in full."));
                        errorLine = (int)anchored.Start.Line;
                        return null;
                    case Scalar scalar:
                        Add(stack, ref root, new YamlScalar(At(file, scalar.Start), scalar.Value,
                            scalar.Style is ScalarStyle.Plain or ScalarStyle.Any,
                            scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded,
                            scalar.Tag.IsEmpty ? null : scalar.Tag.Value), file, diagnostics);
                        break;
                    case SequenceStart seq:
                        if (stack.Count >= MaxDepth)
                        {
                            diagnostics.Add(TooDeep(file, seq.Start));
                            return null;
                        }

                        stack.Push(new Frame(At(file, seq.Start), isMapping: false));
                        flows.Push(seq.Style == SequenceStyle.Flow ? (seq.Start, '[') : null);
                        break;
                    case MappingStart map:
                        if (stack.Count >= MaxDepth)
                        {
                            diagnostics.Add(TooDeep(file, map.Start));
                            return null;
                        }

                        stack.Push(new Frame(At(file, map.Start), isMapping: true));
                        flows.Push(map.Style == MappingStyle.Flow ? (map.Start, '{') : null);
                        break;
                    case SequenceEnd:
                    case MappingEnd:
                        var frame = stack.Pop();
                        flows.Pop();
                        Add(stack, ref root, frame.Build(), file, diagnostics);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            var message = Clean(ex.Message);
            if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndentation(text, ex.Start) is { } tab)
            {
                // YamlDotNet points at the start of the enclosing mapping (often 1:1), not at the tab.
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(file, tab.Line, tab.Column),
                    "YAML syntax error: a tab is used as indentation here; YAML indents with spaces only. Replace the tab with spaces."));
                errorLine = tab.Line;
                return null;
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, At(file, ex.Start), $"YAML syntax error: {message}."));
            errorLine = (int)Math.Max(1, ex.Start.Line);
            return null;
        }
#pragma warning disable CA1031 // YamlDotNet 18.1 throws bare exceptions on some malformed input; any of them is a syntax error here.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (flows.FirstOrDefault(f => f is not null) is var (start, open))
            {
                var (kind, close) = open == '[' ? ("sequence", ']') : ("mapping", '}');
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, At(file, start),
                    $"YAML syntax error: the flow {kind} opened with '{open}' here is not closed. Add the missing '{close}' after its last item."));
                errorLine = (int)Math.Max(1, start.Line);
                return null;
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, At(file, last), $"YAML syntax error: {Clean(ex.Message)}."));
            errorLine = (int)Math.Max(1, last.Line);
            return null;
        }

        return root;
    }

    // The first line at or after the error's line whose indentation holds a tab, with the tab's 1-based column.
    private static (int Line, int Column)? FindTabIndentation(string text, Mark from)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(0, from.Line - 1); i < lines.Length; i++)
        {
            var line = lines[i];
            var indentation = line.Length - line.TrimStart(' ', '\t').Length;
            var tab = line.IndexOf('\t', 0, indentation);
            if (tab >= 0)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    private static Diagnostic TooDeep(string file, Mark mark) =>
        Diagnostic.Error(DiagnosticCodes.YamlTooLarge, At(file, mark),
            $"Nesting is deeper than {MaxDepth} levels; rule files never need that much. Flatten the structure.");

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 3) - (...): "; our location already says where.
        var index = message.IndexOf("): ", StringComparison.Ordinal);
        var text = index >= 0 && message.StartsWith('(') ? message[(index + 3)..] : message;
        return text.TrimEnd('.');
    }

    private static SourceLocation At(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static void Add(Stack<Frame> stack, ref YamlNode? root, YamlNode node, string file, ICollection<Diagnostic> diagnostics)
    {
        if (stack.Count == 0)
        {
            root = node;
            return;
        }

        stack.Peek().Add(node, file, diagnostics);
    }

    private sealed class Frame(SourceLocation start, bool isMapping)
    {
        private readonly List<YamlNode> _items = [];
        private readonly List<KeyValuePair<YamlScalar, YamlNode>> _entries = [];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private YamlScalar? _pendingKey;
        private bool _badKey;

        public void Add(YamlNode node, string file, ICollection<Diagnostic> diagnostics)
        {
            if (!isMapping)
            {
                _items.Add(node);
                return;
            }

            if (_pendingKey is null && !_badKey)
            {
                if (node is not YamlScalar key)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.WrongType, node.Start,
                        $"A mapping key must be a plain name, but this key is {node.KindName}."));
                    _badKey = true;
                    return;
                }

                if (!_keys.Add(key.Value))
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlDuplicateKey, key.Start,
                        $"Key '{key.Value}' appears twice in the same mapping; keep one of them."));
                }

                _pendingKey = key;
                return;
            }

            if (_pendingKey is not null)
            {
                _entries.Add(new(_pendingKey, node));
            }

            _pendingKey = null;
            _badKey = false;
        }

        public YamlNode Build() => isMapping ? new YamlMapping(start, _entries) : new YamlSequence(start, _items);
    }
}

/// <summary>The outcome of <see cref="SafeYamlReader.ReadRecovering"/>.</summary>
/// <param name="Root">The document's tree, with the entries set aside as null values; null when nothing could be recovered.</param>
/// <param name="Text">The text that was parsed last: the file with the set-aside lines blanked (same line numbers).</param>
/// <param name="Excised">The set-aside entries as 0-based inclusive line ranges; empty when the file had no syntax error.</param>
public sealed record YamlRecovery(YamlNode? Root, string Text, IReadOnlyList<(int First, int Last)> Excised)
{
    /// <summary>True when a 1-based line lies in an entry that was set aside: a diagnostic there follows from the syntax error.</summary>
    public bool IsExcised(int line) => Excised.Any(e => line - 1 >= e.First && line - 1 <= e.Last);
}
