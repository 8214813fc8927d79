using System.Text;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// Golden-file comparison. Golden files live in Reporting/Golden/ next to this source file. With UPDATE_GOLDEN=1
/// the test rewrites the golden file in the source tree and fails, saying so: an update never passes silently.
/// </summary>
internal static class Golden
{
    public static string Directory => Path.Combine(SourceDirectory(), "Golden");

    /// <summary>Reporting/ in the test project's source tree.</summary>
    public static string ReportingDirectory => SourceDirectory();

    /// <summary>The repository root (three levels above Reporting/).</summary>
    public static string RepositoryRoot => PolicyEngine.Tests.Shared.TestRepository.Root;

    public static void AssertMatches(string name, byte[] actual)
    {
        var sourcePath = Path.Combine(Directory, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(sourcePath, actual);
            Assert.Fail($"UPDATE_GOLDEN=1: rewrote {sourcePath}; review the diff, then run the tests again without UPDATE_GOLDEN.");
        }

        // Prefer a copy in the output directory when the project copies one there; else read the source tree.
        var outputPath = Path.Combine(AppContext.BaseDirectory, "Reporting", "Golden", name);
        var path = File.Exists(outputPath) ? outputPath : sourcePath;
        if (!File.Exists(path))
        {
            Assert.Fail($"golden file {sourcePath} is missing; run the tests with UPDATE_GOLDEN=1 to create it.");
        }

        var expected = File.ReadAllBytes(path);
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail($"output differs from golden file {path} (run with UPDATE_GOLDEN=1 to rewrite it):\n"
                + Diff(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual)));
        }
    }

    /// <summary>The first differing line, with its neighbours, so a failure is readable without a diff tool.</summary>
    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end of file>";
            var right = i < a.Length ? a[i] : "<end of file>";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                return $"line {i + 1}:\n  expected: {left}\n  actual:   {right}";
            }
        }

        return "the texts differ only in bytes that do not survive UTF-8 decoding (BOM, invalid bytes)";
    }

    // Not [CallerFilePath]: CI builds map source paths to /_/ (deterministic builds), so the tree is found from the
    // test binaries instead.
    private static string SourceDirectory() => Path.Combine(RepositoryRoot, "tests", "PolicyEngine.Core.Tests", "Reporting");
}
