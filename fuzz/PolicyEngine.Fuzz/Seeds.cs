using System.Text;
using System.Text.Json;

namespace PolicyEngine.Fuzz;

/// <summary>
/// Writes the seed corpus of each target from the repository itself: the RFC 9535 compliance test suite's cases
/// (query, NUL, document), the shipped rules, the rule-test fixtures and sample snapshots, and the inputs under
/// fuzz/regressions that once broke a target.
/// </summary>
internal static class Seeds
{
    public static int Write(string repository, string output)
    {
        var jsonpath = Directory.CreateDirectory(Path.Combine(output, "jsonpath")).FullName;
        var cts = Path.Combine(repository, "tests/PolicyEngine.JsonPath.Tests/TestData/cts/cts.json");
        using (var suite = JsonDocument.Parse(File.ReadAllBytes(cts)))
        {
            var n = 0;
            foreach (var test in suite.RootElement.GetProperty("tests").EnumerateArray())
            {
                var selector = test.GetProperty("selector").GetString() ?? "";
                var document = test.TryGetProperty("document", out var d) ? d.GetRawText() : "{}";
                File.WriteAllBytes(Path.Combine(jsonpath, $"cts-{n++:D4}"), Encoding.UTF8.GetBytes(selector + "\0" + document));
            }
        }

        var rules = Directory.CreateDirectory(Path.Combine(output, "rules")).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, "policies/aws-sra"), "*.yaml", SearchOption.AllDirectories)
                     .Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(rules, Path.GetFileName(file)), overwrite: true);
        }

        var snapshot = Directory.CreateDirectory(Path.Combine(output, "snapshot")).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, "policies/fixtures"), "*.json")
                     .Concat(Directory.EnumerateFiles(Path.Combine(repository, "samples"), "*.json")))
        {
            File.Copy(file, Path.Combine(snapshot, Path.GetFileName(file)), overwrite: true);
        }

        // Inputs that once broke a target (fuzz/regressions/<target>) stay in its corpus, so AFL++ mutates from them too.
        foreach (var dir in new[] { jsonpath, rules, snapshot })
        {
            var regressions = Path.Combine(repository, "fuzz/regressions", Path.GetFileName(dir));
            if (Directory.Exists(regressions))
            {
                foreach (var file in Directory.EnumerateFiles(regressions))
                {
                    File.Copy(file, Path.Combine(dir, "regression-" + Path.GetFileName(file)), overwrite: true);
                }
            }
        }

        foreach (var dir in new[] { jsonpath, rules, snapshot })
        {
            Console.WriteLine($"{dir}: {Directory.GetFiles(dir).Length} seeds");
        }

        return 0;
    }
}
