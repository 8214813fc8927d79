using System.Text;

namespace PolicyEngine.Tests.Shared;

/// <summary>
/// Checks that a generated file in the repository is current. With UPDATE_DOCS=1 the file is rewritten and the
/// test fails once, saying so, so a stale file can never pass silently. Linked into every test project by
/// tests/Directory.Build.props.
/// </summary>
internal static class GeneratedFile
{
    public static void AssertCurrent(string relativePath, string expected, string howToRegenerate)
    {
        var path = Path.Combine(TestRepository.Root, relativePath);
        var actual = File.Exists(path) ? File.ReadAllText(path) : null;
        if (actual == expected)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, expected, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
            Assert.Fail($"{relativePath} was stale and has been rewritten; run the tests again without UPDATE_DOCS.");
        }

        Assert.Fail($"{relativePath} is {(actual is null ? "missing" : "stale")}. {howToRegenerate}");
    }
}
