using System.Text;
using System.Text.Json;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Tests.Snapshots;

public class SnapshotLocatorTests
{
    private static NormalizedPath P(params object[] segments) =>
        segments.Aggregate(NormalizedPath.Root, (path, s) => s is int i ? path.Append(i) : path.Append((string)s));

    public static TheoryData<string> Documents() => new(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json")),
        "{\"name\": \"日本語\", \"e\\u0073c\": \"😀\", \"v\": [10, {\"k\": true}, null, -1.5e3, \"\\\"q\\\"\"]}",
        "{\r\n  \"a\": [\r\n    {\"b\": 1},\r\n    []\r\n  ],\r\n  \"c\": {}\r\n}\r\n",
        "{\"big\": [" + string.Join(",", Enumerable.Range(0, 3000).Select(i => i % 3 == 0 ? $"{{\"i\": {i}, \"s\": \"é{i}\"}}" : i % 3 == 1 ? $"[{i}]" : $"{i}")) + "], \"after\": \"ü\"}");

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_document_and_a_walk_over_the_bytes_place_every_path_alike(string json)
    {
        // Every path in the document, and some that are not in it, located both ways.
        var bytes = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(bytes);
        var paths = new List<NormalizedPath>();
        void Collect(JsonElement element, NormalizedPath path)
        {
            paths.Add(path);
            if (element.ValueKind == JsonValueKind.Object)
            {
                paths.Add(path.Append("no such member"));
                foreach (var member in element.EnumerateObject())
                {
                    Collect(member.Value, path.Append(member.Name));
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                paths.Add(path.Append(element.GetArrayLength()));
                paths.Add(path.Append("name on an array"));
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, path.Append(i++));
                }
            }
            else
            {
                paths.Add(path.Append(0));
            }
        }

        Collect(document.RootElement, NormalizedPath.Root);
        var walked = new SnapshotLocator(bytes).Locate(paths);
        var found = new SnapshotLocator(bytes, document.RootElement).Locate(paths);
        Assert.True(paths.Count > walked.Count);
        Assert.Equal(walked.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal), found.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public void Locates_values_after_non_ascii_text_in_utf16_columns()
    {
        // "日本語" is 9 UTF-8 bytes but 3 UTF-16 units; "😀" is 4 bytes but 2 units.
        const string json = "{\"name\": \"日本語\", \"emoji\": \"😀\", \"v\": [10, {\"k\": true}]}";
        var locator = new SnapshotLocator(Encoding.UTF8.GetBytes(json));
        var found = locator.Locate([P("name"), P("emoji"), P("v", 1, "k"), P("v", 0), P(), P("nope")]);
        Assert.Equal((1, 10), found[P("name")]);
        Assert.Equal((1, 26), found[P("emoji")]);
        Assert.Equal((1, 38), found[P("v", 0)]);
        Assert.Equal((1, 48), found[P("v", 1, "k")]);
        Assert.Equal((1, 1), found[P()]);
        Assert.False(found.ContainsKey(P("nope")));
        Assert.Equal(5, found.Count);
    }

    [Fact]
    public void Locates_values_in_crlf_files()
    {
        const string json = "{\r\n  \"a\": {\r\n    \"b\": [\r\n      1,\r\n      \"é\", \"x\"\r\n    ]\r\n  }\r\n}\r\n";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([P("a"), P("a", "b", 0), P("a", "b", 2)]);
        Assert.Equal((2, 8), found[P("a")]);
        Assert.Equal((4, 7), found[P("a", "b", 0)]);
        Assert.Equal((5, 12), found[P("a", "b", 2)]);
    }

    [Fact]
    public void No_paths_give_no_positions()
    {
        Assert.Empty(new SnapshotLocator(Encoding.UTF8.GetBytes("{}")).Locate([]));
    }

    /// <summary>The 1-based line and UTF-16 column of the one occurrence of <paramref name="marker"/> in the text.</summary>
    private static (int Line, int Column) At(string json, string marker)
    {
        var index = json.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0 && json.IndexOf(marker, index + 1, StringComparison.Ordinal) < 0, $"'{marker}' occurs once");
        var lineStart = index == 0 ? 0 : json.LastIndexOf('\n', index - 1) + 1;
        return (json[..index].Count(c => c == '\n') + 1, index - lineStart + 1);
    }

    [Fact]
    public void Locates_members_whose_names_are_escaped()
    {
        const string json = """
            {
              "a\u0062": 101,
              "q\"x": [102],
              "\u00e9": 103,
              "\ud83d\ude00": {"\u65e5": 104},
              "a\/b": 105,
              "\\": 106,
              "": 107,
              "\u0041\u00C9": 108
            }
            """;
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate(
            [P("ab"), P("q\"x", 0), P("é"), P("😀", "日"), P("a/b"), P("\\"), P(""), P("AÉ"), P("a\\u0062"), P("\\u00e9"), P("aé")]);
        Assert.Equal((2, 14), found[P("ab")]);
        Assert.Equal(At(json, "101"), found[P("ab")]);
        Assert.Equal(At(json, "102"), found[P("q\"x", 0)]);
        Assert.Equal(At(json, "103"), found[P("é")]);
        Assert.Equal(At(json, "104"), found[P("😀", "日")]);
        Assert.Equal(At(json, "105"), found[P("a/b")]);
        Assert.Equal(At(json, "106"), found[P("\\")]);
        Assert.Equal(At(json, "107"), found[P("")]);
        Assert.Equal(At(json, "108"), found[P("AÉ")]);
        Assert.Equal(8, found.Count);
    }

    [Fact]
    public void A_name_with_a_lone_surrogate_matches_no_member()
    {
        // Such a name cannot be encoded as UTF-8; it must not be taken for the replacement character U+FFFD.
        const string json = "{\"\\ufffd\": 1, \"o\": {\"\uFFFD\": 2}}";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([P("\ud800"), P("o", "\udc00"), P("o", "\uFFFD")]);
        Assert.Equal(At(json, "2"), Assert.Single(found).Value);
    }

    [Fact]
    public void Tells_apart_names_that_share_a_prefix()
    {
        const string json = """{"a":11,"ab":12,"abc":{"a":13,"ab":14,"abcd":15},"b":16,"abcd":17}""";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate(
            [P("ab"), P("abc", "a"), P("abc", "ab"), P("abcd"), P("a"), P("abc", "abc"), P("abcde"), P("A")]);
        Assert.Equal((1, 6), found[P("a")]);
        Assert.Equal(At(json, "12"), found[P("ab")]);
        Assert.Equal(At(json, "13"), found[P("abc", "a")]);
        Assert.Equal(At(json, "14"), found[P("abc", "ab")]);
        Assert.Equal(At(json, "17"), found[P("abcd")]);
        Assert.Equal(5, found.Count);
    }

    [Fact]
    public void Locates_members_with_unicode_names()
    {
        const string json = "{\"日本\": {\"語\": [\"x\", \"😀\", \"y\"]},\n \"ü\": 1, \"u\": 2, \"u\u0308\": 3}";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([P("日本", "語", 2), P("ü"), P("u"), P("u\u0308"), P("日")]);
        Assert.Equal((1, 26), found[P("日本", "語", 2)]);
        Assert.Equal(At(json, "\"y\""), found[P("日本", "語", 2)]);
        Assert.Equal(At(json, "1"), found[P("ü")]);
        Assert.Equal(At(json, "2"), found[P("u")]);
        Assert.Equal(At(json, "3"), found[P("u\u0308")]);
        Assert.Equal(4, found.Count);
    }

    [Fact]
    public void Locates_many_elements_and_many_members()
    {
        // One element per line: element i is on line i + 2, after four spaces; member m{i} on line 302 + i.
        var json = new StringBuilder("{\"list\": [\n");
        for (var i = 0; i < 300; i++)
        {
            json.Append("    ").Append(i).Append(i < 299 ? ",\n" : "\n");
        }

        json.Append("  ],\n");
        for (var i = 0; i < 60; i++)
        {
            // One name is escaped: "\u006d7" is "m7".
            json.Append(i == 7 ? "  \"\\u006d" : "  \"m").Append(i).Append("\": ").Append(i).Append(",\n");
        }

        json.Append("  \"end\": true\n}");
        var wanted = new List<NormalizedPath>();
        for (var i = 0; i < 310; i += 3)
        {
            wanted.Add(P("list", i));
        }

        for (var i = 1; i < 70; i += 2)
        {
            wanted.Add(P("m" + i));
        }

        wanted.Add(P("list", 299));
        wanted.Add(P("end"));
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json.ToString())).Locate(wanted);
        for (var i = 0; i < 300; i += 3)
        {
            Assert.Equal((i + 2, 5), found[P("list", i)]);
        }

        for (var i = 1; i < 60; i += 2)
        {
            Assert.Equal((303 + i, ("m" + i).Length + (i == 7 ? 12 : 7)), found[P("m" + i)]);
        }

        Assert.Equal((301, 5), found[P("list", 299)]);
        Assert.Equal((363, 10), found[P("end")]);
        Assert.Equal(100 + 30 + 2, found.Count);
        Assert.False(found.ContainsKey(P("list", 300)));
        Assert.False(found.ContainsKey(P("m61")));
    }

    [Fact]
    public void Leaves_out_paths_the_document_does_not_have()
    {
        const string json = """{"a":1,"o":{"x":[true]},"l":[{"k":null}],"s":"str"}""";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate(
        [
            P("a", "b"), P("a", 0), P("o", 0), P("o", "x", 1), P("o", "x", 0, "y"), P("l", "k"), P("l", 1), P("l", 0, "k", "z"),
            P("s", 0), P("s", "length"), P("missing", "deeper"), P("l", 0, "k"),
        ]);
        Assert.Equal(At(json, "null"), Assert.Single(found, pair => pair.Key.Equals(P("l", 0, "k"))).Value);
        Assert.Single(found);
    }

    [Fact]
    public void Locates_in_a_root_array()
    {
        const string json = "[1, [2, {\"a\": [3]}], \"x\"]";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([P(1, 1, "a", 0), P(2), P(1), P("a"), P(3)]);
        Assert.Equal((1, 5), found[P(1)]);
        Assert.Equal((1, 16), found[P(1, 1, "a", 0)]);
        Assert.Equal((1, 22), found[P(2)]);
        Assert.Equal(3, found.Count);
    }

    [Fact]
    public void Duplicate_paths_give_one_position()
    {
        const string json = "{\"a\": [0, {\"b\": 1}]}";
        var path = P("a", 1, "b");
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([path, path, P("a", 1, "b"), P("a"), P("a"), P()]);
        Assert.Equal((1, 17), found[path]);
        Assert.Equal((1, 7), found[P("a")]);
        Assert.Equal((1, 1), found[P()]);
        Assert.Equal(3, found.Count);
    }

    [Fact]
    public void A_repeated_member_is_located_at_its_last_occurrence()
    {
        const string json = "{\"a\": {\"b\": 1}, \"c\": 2, \"a\": {\"b\": 3}}";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([P("a"), P("a", "b")]);
        Assert.Equal(At(json, "{\"b\": 3"), found[P("a")]);
        Assert.Equal(At(json, "3"), found[P("a", "b")]);
    }

    [Fact]
    public void Locates_around_comments()
    {
        const string json = "/* é */ {\"a\" : /* 😀 */ [ // c\n 1, /**/ 2]}";
        var found = new SnapshotLocator(Encoding.UTF8.GetBytes(json)).Locate([P("a", 1), P("a"), P()]);
        Assert.Equal((1, 9), found[P()]);
        Assert.Equal(At(json, "["), found[P("a")]);
        Assert.Equal(At(json, "2"), found[P("a", 1)]);
    }

    /// <summary>
    /// Random documents whose writer records where it put every value (line and UTF-16 column, CRLF and LF, comments,
    /// escaped and unicode names): any subset of those paths, with absent ones mixed in, is located exactly.
    /// </summary>
    [Fact]
    public void Locates_what_a_recording_writer_wrote()
    {
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var density = random.Next(1, 4);
            var writer = new RecordingWriter(random);
            writer.Value(NormalizedPath.Root, 0);
            var written = writer.Positions;
            var wanted = new List<NormalizedPath>();
            foreach (var path in written.Keys)
            {
                if (random.Next(density) == 0)
                {
                    wanted.Add(path);
                }

                if (random.Next(8) == 0)
                {
                    wanted.Add(random.Next(2) == 0 ? path.Append(random.Next(3)) : path.Append(RecordingWriter.Names[random.Next(RecordingWriter.Names.Length)]));
                }
            }

            var expected = wanted.Where(written.ContainsKey).Distinct().ToDictionary(p => p, p => written[p]);
            var found = new SnapshotLocator(Encoding.UTF8.GetBytes(writer.Text)).Locate(wanted);
            Assert.Equal(expected.Count, found.Count);
            foreach (var (path, position) in expected)
            {
                Assert.True(found.TryGetValue(path, out var actual), $"{path} not found in {writer.Text}");
                Assert.True(position == actual, $"{path}: expected {position}, found {actual} in {writer.Text}");
            }
        }
    }

    private sealed class RecordingWriter(Random random)
    {
        public static readonly string[] Names = ["a", "ab", "abc", "b", "", "é", "日本", "😀", "q\"x", "back\\slash", "a/b", "tab\t", "DetectorIds", "ü"];

        private static readonly string[] Spaces = [" ", "", "", "\n", "\r\n", "\t", "  ", "/* é */", "// 😀\n"];

        private readonly StringBuilder _text = new();
        private int _line = 1;
        private int _column = 1;

        public Dictionary<NormalizedPath, (int, int)> Positions { get; } = [];

        public string Text => _text.ToString();

        public void Value(NormalizedPath path, int depth)
        {
            Space();
            Positions[path] = (_line, _column);
            var kind = depth >= 4 ? random.Next(4) : random.Next(7);
            switch (kind)
            {
                case 0: Write(random.Next(-50, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case 1: Write(random.Next(2) == 0 ? "true" : "null"); break;
                case 2: String(Names[random.Next(Names.Length)]); break;
                case 3: Write("\"日本語 😀 x\""); break;
                case 4 or 5:
                    Write("{");
                    var names = Names.OrderBy(_ => random.Next()).Take(random.Next(0, random.Next(3) == 0 ? Names.Length + 1 : 6)).ToArray();
                    for (var i = 0; i < names.Length; i++)
                    {
                        Space();
                        String(names[i]);
                        Write(random.Next(3) == 0 ? " \r\n\t" : string.Empty); // the reader takes no comment before a colon
                        Write(":");
                        Value(path.Append(names[i]), depth + 1);
                        Space();
                        Write(i < names.Length - 1 ? "," : string.Empty);
                    }

                    Space();
                    Write("}");
                    break;
                default:
                    Write("[");
                    var count = random.Next(0, random.Next(2) == 0 ? 4 : 40);
                    for (var i = 0; i < count; i++)
                    {
                        Value(path.Append(i), depth + 1);
                        Space();
                        Write(i < count - 1 ? "," : string.Empty);
                    }

                    Space();
                    Write("]");
                    break;
            }
        }

        private void Space()
        {
            if (random.Next(3) == 0)
            {
                Write(Spaces[random.Next(Spaces.Length)]);
            }
        }

        /// <summary>Writes a JSON string, escaping what must be and, at random, other characters too.</summary>
        private void String(string value)
        {
            var text = new StringBuilder("\"");
            foreach (var rune in value.EnumerateRunes())
            {
                var c = rune.IsBmp ? (char)rune.Value : '\0';
                text.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '/' when random.Next(2) == 0 => "\\/",
                    '\t' => "\\t",
                    _ when random.Next(4) == 0 => string.Concat(rune.ToString().Select(unit => $"\\u{(int)unit:x4}")),
                    _ => rune.ToString(),
                });
            }

            Write(text.Append('"').ToString());
        }

        private void Write(string text)
        {
            _text.Append(text);
            foreach (var c in text)
            {
                (_line, _column) = c == '\n' ? (_line + 1, 1) : (_line, _column + 1);
            }
        }
    }
}
