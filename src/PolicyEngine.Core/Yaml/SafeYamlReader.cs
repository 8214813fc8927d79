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
public static class SafeYamlReader
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
        var errorCount = diagnostics.Count;
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
                        return null;
                    case NodeEvent { Anchor.IsEmpty: false } anchored:
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlAlias, At(file, anchored.Start),
                            $"Anchor '&{anchored.Anchor.Value}' is not allowed: rule files may not use anchors or aliases. Write the value out in full."));
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
                return null;
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, At(file, ex.Start), $"YAML syntax error: {message}."));
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
                return null;
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, At(file, last), $"YAML syntax error: {Clean(ex.Message)}."));
            return null;
        }

        return diagnostics.Count > errorCount ? null : root;
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
