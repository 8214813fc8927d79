using System.Reflection;
using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Core.Tests.Diagnostics;

public class DiagnosticCoverageTests
{
    /// <summary>Codes Core never emits, with the reason; everything else must have a [Covers] test.</summary>
    private static readonly Dictionary<string, string> Unreachable = new(StringComparer.Ordinal)
    {
        // PE2103 (invalid sandbox options) is emitted by PolicyConfig for 'sandbox:' and covered here.
        ["PE7001"] = "emitted by the sample-evidence generator in PolicyEngine.Aws; tests/PolicyEngine.Cli.Tests/SampleEvidenceCommandTests.cs asserts it",
        ["PE9004"] = "emitted by the CLI's --format reading (ReportOutputs); tests/PolicyEngine.Cli.Tests/ReportOutputTests.cs asserts it",
        ["PE9005"] = "emitted by the CLI's --format reading (ReportOutputs); tests/PolicyEngine.Cli.Tests/ReportOutputTests.cs asserts it",
        ["PE4040"] = "emitted by the snapshot merge in PolicyEngine.Aws; tests/PolicyEngine.Aws.Tests/Merge/SnapshotMergerTests.cs asserts it",
        ["PE4041"] = "emitted by the snapshot merge in PolicyEngine.Aws; tests/PolicyEngine.Aws.Tests/Merge/SnapshotMergerTests.cs asserts it",
        ["PE4042"] = "emitted by the snapshot merge in PolicyEngine.Aws; tests/PolicyEngine.Aws.Tests/Merge/SnapshotMergerTests.cs asserts it",
    };

    public static TheoryData<string, string> Codes()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            data.Add(field.Name, (string)field.GetRawConstantValue()!);
        }

        return data;
    }

    private static HashSet<string> CoveredCodes() =>
        typeof(DiagnosticCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(m => m.GetCustomAttributes<CoversAttribute>())
            .Select(a => a.Code)
            .ToHashSet(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_code_is_covered(string name, string code)
    {
        var covered = CoveredCodes().Contains(code);
        if (Unreachable.ContainsKey(code))
        {
            Assert.False(covered, $"{name} ({code}) is listed as unreachable but a test covers it; remove it from the list.");
            return;
        }

        Assert.True(covered, $"No test is marked [Covers(DiagnosticCodes.{name})] for {code}.");
    }

    [Fact]
    public void Codes_are_unique_and_well_formed()
    {
        var codes = Codes().Select(row => (string)row[1]).ToArray();
        Assert.Equal(68, codes.Length);
        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^PE[0-79][0-9]{3}$", c));
    }
}
