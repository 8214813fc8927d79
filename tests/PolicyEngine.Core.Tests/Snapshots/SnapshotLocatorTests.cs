using System.Text;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Tests.Snapshots;

public class SnapshotLocatorTests
{
    private static NormalizedPath P(params object[] segments) =>
        segments.Aggregate(NormalizedPath.Root, (path, s) => s is int i ? path.Append(i) : path.Append((string)s));

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
}
