using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Core.Tests.Diagnostics;

public class DiagnosticTests
{
    [Fact]
    public void ToString_is_file_line_col_severity_code_message()
    {
        Assert.Equal("a.yaml:3:7: error PE1001: bad", Diagnostic.Error("PE1001", new SourceLocation("a.yaml", 3, 7), "bad").ToString());
        Assert.Equal("a.yaml:1:1: warning PE5003: hm", Diagnostic.Warning("PE5003", new SourceLocation("a.yaml", 1, 1), "hm").ToString());
        Assert.Equal("dir: error PE1015: none", Diagnostic.Error("PE1015", new SourceLocation("dir", 0, 0), "none").ToString());
        Assert.Equal("error PE3001: x", Diagnostic.Error("PE3001", SourceLocation.None, "x").ToString());
    }

    [Fact]
    public void Sort_orders_by_file_line_column_code_message()
    {
        var sorted = Diagnostic.Sort(
        [
            Diagnostic.Error("PE1002", new SourceLocation("b.yaml", 1, 1), "m"),
            Diagnostic.Error("PE1002", new SourceLocation("a.yaml", 2, 1), "m"),
            Diagnostic.Error("PE1001", new SourceLocation("a.yaml", 1, 9), "m"),
            Diagnostic.Error("PE1002", new SourceLocation("a.yaml", 1, 9), "b"),
            Diagnostic.Error("PE1002", new SourceLocation("a.yaml", 1, 9), "a"),
            Diagnostic.Error("PE1001", new SourceLocation("a.yaml", 1, 10), "m"),
        ]);
        Assert.Equal(
            [
                "a.yaml:1:9: error PE1001: m", "a.yaml:1:9: error PE1002: a", "a.yaml:1:9: error PE1002: b",
                "a.yaml:1:10: error PE1001: m", "a.yaml:2:1: error PE1002: m", "b.yaml:1:1: error PE1002: m",
            ],
            sorted.Select(d => d.ToString()));
    }

    [Fact]
    public void SourceLocation_comparison_operators()
    {
        var a = new SourceLocation("a", 1, 2);
        var b = new SourceLocation("a", 1, 10);
        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= new SourceLocation("a", 1, 2));
        Assert.True(b >= a);
        Assert.True(null < a);
        Assert.Equal(1, a.CompareTo(null));
        Assert.Equal(string.Empty, SourceLocation.None.ToString());
    }
}
