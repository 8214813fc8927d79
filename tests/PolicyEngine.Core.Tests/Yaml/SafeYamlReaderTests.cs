using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Tests.Diagnostics;
using PolicyEngine.Core.Yaml;

namespace PolicyEngine.Core.Tests.Yaml;

public class SafeYamlReaderTests
{
    private static (YamlNode? Root, string[] Diagnostics) Read(string text)
    {
        var diagnostics = new List<Diagnostic>();
        var root = SafeYamlReader.Read(text, "f.yaml", diagnostics);
        return (root, diagnostics.Select(d => d.ToString()).ToArray());
    }

    [Fact]
    public void Reads_a_mapping_with_positions_and_scalar_styles()
    {
        var (root, diagnostics) = Read("id: X\nlist:\n  - 'quoted'\n  - |\n    block\n");
        Assert.Empty(diagnostics);
        var mapping = Assert.IsType<YamlMapping>(root);
        Assert.Equal(new SourceLocation("f.yaml", 1, 1), mapping.Start);
        var id = Assert.IsType<YamlScalar>(mapping["id"]);
        Assert.Equal(("X", true, 1, 5), (id.Value, id.IsPlain, id.Start.Line, id.Start.Column));
        var list = Assert.IsType<YamlSequence>(mapping["list"]);
        var quoted = Assert.IsType<YamlScalar>(list.Items[0]);
        Assert.Equal(("quoted", false, false, 3, 5), (quoted.Value, quoted.IsPlain, quoted.IsBlock, quoted.Start.Line, quoted.Start.Column));
        var block = Assert.IsType<YamlScalar>(list.Items[1]);
        Assert.Equal(("block\n", true, 4), (block.Value, block.IsBlock, block.Start.Line));
        Assert.Equal(new SourceLocation("f.yaml", 2, 1), mapping.KeyNode("list")!.Start);
        Assert.Null(mapping["missing"]);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlSyntax)]
    public void Unclosed_flow_sequence_is_a_syntax_error_not_a_crash()
    {
        // YamlDotNet reports this one with a bare exception ("Operation is not valid due to the current state of the
        // object."); the reader names the unclosed '[' at its position instead.
        var (root, diagnostics) = Read("a: [1, 2\nb: 3\n");
        Assert.Null(root);
        Assert.Equal(["f.yaml:1:4: error PE0001: YAML syntax error: the flow sequence opened with '[' here is not closed. Add the missing ']' after its last item."], diagnostics);
    }

    [Theory]
    [InlineData("id: X\nassert:\n\t- path: $.a\n", "f.yaml:3:1")]
    [InlineData("id: X\nassert:\n  - path: $.a\n   \tequals: 1\n", "f.yaml:4:4")]
    public void Tab_used_as_indentation_is_reported_at_the_tab(string text, string location)
    {
        var (root, diagnostics) = Read(text);
        Assert.Null(root);
        Assert.Equal([$"{location}: error PE0001: YAML syntax error: a tab is used as indentation here; YAML indents with spaces only. Replace the tab with spaces."], diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlSyntax)]
    public void Unterminated_quote_is_a_syntax_error_at_its_position()
    {
        var (root, diagnostics) = Read("id: X\ntitle: \"open\n");
        Assert.Null(root);
        Assert.Equal(["f.yaml:2:8: error PE0001: YAML syntax error: While scanning a quoted scalar, found unexpected end of stream."], diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlAlias)]
    public void Billion_laughs_is_refused_at_the_first_anchor()
    {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n";
        for (var i = 1; i < 9; i++)
        {
            var previous = (char)('a' + i - 1);
            var current = (char)('a' + i);
            text += $"{current}: &{current} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n";
        }

        var (root, diagnostics) = Read(text);
        Assert.Null(root);
        Assert.Equal(
            ["f.yaml:1:4: error PE0002: Anchor '&a' is not allowed: rule files may not use anchors or aliases. Write the value out in full."],
            diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlAlias)]
    public void A_bare_alias_is_refused_at_the_alias()
    {
        var (root, diagnostics) = Read("a: 1\nb: *x\n");
        Assert.Null(root);
        Assert.Equal(
            ["f.yaml:2:4: error PE0002: Alias '*x' is not allowed: rule files may not use anchors or aliases. Write the value out in full."],
            diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlTooLarge)]
    public void Hundred_nested_flow_sequences_are_too_deep()
    {
        var (root, diagnostics) = Read(new string('[', 100) + new string(']', 100) + "\n");
        Assert.Null(root);
        Assert.Equal(
            ["f.yaml:1:65: error PE0003: Nesting is deeper than 64 levels; rule files never need that much. Flatten the structure."],
            diagnostics);
    }

    [Fact]
    public void Sixty_four_levels_are_accepted()
    {
        var (root, diagnostics) = Read(new string('[', 64) + new string(']', 64) + "\n");
        Assert.Empty(diagnostics);
        Assert.IsType<YamlSequence>(root);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlTooLarge)]
    public void An_oversized_file_is_refused_before_parsing()
    {
        var (root, diagnostics) = Read("a: " + new string('x', SafeYamlReader.MaxLength));
        Assert.Null(root);
        Assert.Equal(
            [$"f.yaml:1:1: error PE0003: The file is {SafeYamlReader.MaxLength + 3} characters long; rule files may have at most 1048576. Split it into several files."],
            diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlDuplicateKey)]
    public void Duplicate_key_points_at_the_second_key()
    {
        var (root, diagnostics) = Read("a: 1\nb:\n  c: 2\n  c: 3\n");
        Assert.Null(root);
        Assert.Equal(["f.yaml:4:3: error PE0004: Key 'c' appears twice in the same mapping; keep one of them."], diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.YamlMultipleDocuments)]
    public void Two_documents_are_refused_at_the_second_marker()
    {
        var (root, diagnostics) = Read("a: 1\n---\nb: 2\n");
        Assert.Null(root);
        Assert.Equal(
            ["f.yaml:2:1: error PE0005: A rule file holds exactly one YAML document; remove the second '---' or move that rule into its own file."],
            diagnostics);
    }

    [Fact]
    public void One_explicit_document_is_accepted()
    {
        var (root, diagnostics) = Read("---\na: 1\n");
        Assert.Empty(diagnostics);
        Assert.IsType<YamlMapping>(root);
    }

    [Fact]
    [Covers(DiagnosticCodes.WrongType)]
    public void A_complex_mapping_key_is_a_wrong_type()
    {
        var (root, diagnostics) = Read("? [a, b]\n: 1\nc: 2\n");
        Assert.Null(root);
        Assert.Equal(["f.yaml:1:3: error PE1002: A mapping key must be a plain name, but this key is a sequence."], diagnostics);
    }
}
