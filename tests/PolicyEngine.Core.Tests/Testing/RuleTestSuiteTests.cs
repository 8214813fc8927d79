using System.Text;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Testing;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Testing;

public sealed class RuleTestSuiteTests : IDisposable
{
    private readonly string _directory = TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Fixture = """
        {
          "formatVersion": "1.0",
          "organization": { "accounts": [ { "Id": "111111111111", "Name": "M", "State": "ACTIVE" } ] },
          "evidence": [
            { "service": "iam", "operation": "GetAccountSummary", "account": "111111111111", "region": "global", "status": "ok",
              "response": { "SummaryMap": { "AccountMFAEnabled": 1 } } }
          ]
        }
        """;

    private static CompiledRule MfaRule() => RuleSet(Rule(
        "target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n",
        id: "SRA-MFA-01")).Rules[0];

    [Fact]
    [Covers(DiagnosticCodes.InvalidTestCase)]
    public void Invalid_test_files_give_PE1017()
    {
        var diagnostics = new List<Diagnostic>();
        var noCases = Write("a.tests.yaml", "rule: SRA-MFA-01\n");
        Assert.Empty(RuleTestSuite.Load(noCases, diagnostics));
        Assert.Equal([$"{noCases}:1:1: error PE1017: A test file needs 'rule: <id>' and a list of 'cases'."], diagnostics.Select(d => d.ToString()));

        diagnostics.Clear();
        var bad = Write("b.tests.yaml", "rule: SRA-MFA-01\ncases:\n  - name: no expect\n  - name: bad outcome\n    expect:\n      - outcome: passed\n  - name: bad evidence\n    evidence: {}\n    expect: []\n");
        var cases = RuleTestSuite.Load(bad, diagnostics);
        Assert.Equal(
            [
                $"{bad}:3:5: error PE1017: A test case needs an 'expect' list (it may be empty: []).",
                $"{bad}:6:18: error PE1017: Unknown outcome 'passed'. Did you mean 'pass'? 'outcome' must be pass, fail, error, notApplicable or insufficientData.",
                $"{bad}:8:15: error PE1017: 'evidence' must be a list of evidence records.",
            ],
            diagnostics.Select(d => d.ToString()));
        Assert.Empty(cases);
    }

    [Fact]
    public void Cases_patch_the_fixture_and_compare_findings()
    {
        Write("base.json", Fixture);
        var diagnostics = new List<Diagnostic>();
        var file = Write("SRA-MFA-01.tests.yaml", """
            rule: SRA-MFA-01
            cases:
              - name: passes on the fixture
                expect:
                  - { outcome: pass, account: "111111111111", path: "$['evidence'][0]['response']['SummaryMap']['AccountMFAEnabled']" }
              - name: fails without MFA
                evidence:
                  - service: iam
                    operation: GetAccountSummary
                    account: "111111111111"
                    region: global
                    status: ok
                    response: { SummaryMap: { AccountMFAEnabled: 0 } }
                expect:
                  - { outcome: fail, message: "is 0, expected to equal 1" }
              - name: wrong expectation
                remove:
                  - { service: iam, operation: GetAccountSummary, account: "111111111111", region: global }
                expect:
                  - { outcome: pass }
              - name: patched organization
                patch:
                  organization: { accounts: [] }
                expect: []
            """);
        var cases = RuleTestSuite.Load(file, diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(4, cases.Count);
        Assert.Equal(("SRA-MFA-01", "base", new SourceLocation(file, 3, 5)), (cases[0].RuleId, cases[0].Fixture, cases[0].Location));
        var runner = new RuleTestRunner(new RuleSet([MfaRule()]), new RuleTestFixtures([_directory]));
        Assert.True(runner.Run(cases[0]).Passed);
        Assert.True(runner.Run(cases[1]).Passed);
        var failed = runner.Run(cases[2]);
        Assert.Equal(
            [
                "first difference at finding 1 (1 finding expected and produced):",
                "  expected: pass account=* region=* resource=* path=* message=*",
                "  actual:   insufficientData account=111111111111 region=global resource=111111111111 path=$['organization']['accounts'][0] message=\"Insufficient data: iam:GetAccountSummary @ 111111111111/global is not in the snapshot.\"",
            ],
            RuleTestReporter.DescribeFailure(failed));
        Assert.True(runner.Run(cases[3]).Passed);
        var built = Encoding.UTF8.GetString(RuleTestSuite.BuildSnapshot(cases[1], Path.Combine(_directory, "base.json")));
        Assert.Contains("\"AccountMFAEnabled\": 0", built, StringComparison.Ordinal);
        Assert.DoesNotContain("\"AccountMFAEnabled\": 1", built, StringComparison.Ordinal);
    }
}
