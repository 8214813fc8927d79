using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Testing;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Testing;

/// <summary>The runner behind <c>policy-engine test</c>: discovery, checks of test files against rules and fixtures, filter, coverage.</summary>
public sealed class RuleTestRunnerTests : IDisposable
{
    private readonly string _directory = TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
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

    private const string Cases = """
        rule: SRA-MFA-01
        cases:
          - name: passes
            expect:
              - { outcome: pass }
          - name: fails
            evidence:
              - { service: iam, operation: GetAccountSummary, account: "111111111111", region: global, status: ok, response: { SummaryMap: { AccountMFAEnabled: 0 } } }
            expect:
              - { outcome: fail }
          - name: denied
            evidence:
              - { service: iam, operation: GetAccountSummary, account: "111111111111", region: global, status: error, error: { code: AccessDenied } }
            expect:
              - { outcome: insufficientData }
        """;

    private static RuleSet Rules() => RuleSet(
        Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n", id: "SRA-MFA-01"),
        Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap\n    exists: true\n", id: "SRA-UNTESTED-01"));

    private RuleTestRunner Runner() => new(Rules(), new RuleTestFixtures([Path.Combine(_directory, "fixtures")]));

    [Fact]
    public void Runs_every_case_and_reports_outcomes_reached_and_untested_rules()
    {
        Write("fixtures/base.json", Fixture);
        Write("pack/SRA-MFA-01.tests.yaml", Cases);
        var run = Runner().Run([Path.Combine(_directory, "pack")], new RuleTestRunOptions { Coverage = true });
        Assert.Empty(run.Diagnostics);
        Assert.Equal(["SRA-MFA-01 :: passes", "SRA-MFA-01 :: fails", "SRA-MFA-01 :: denied"], run.Results.Select(r => r.Case.FullName));
        Assert.Equal((3, 0), (run.Passed, run.Failed));
        Assert.Equal(
            ["SRA-MFA-01 True 3 pass,fail,insufficientData", "SRA-UNTESTED-01 False 0 "],
            run.Coverage!.Select(c => $"{c.RuleId} {c.HasTestFile} {c.Cases} {string.Join(",", c.Reached.Order().Select(o => o.ToName()))}"));
    }

    [Fact]
    public void Filter_matches_rule_ids_and_case_names_as_globs()
    {
        Write("fixtures/base.json", Fixture);
        var file = Write("pack/SRA-MFA-01.tests.yaml", Cases);
        var run = Runner().Run([file], new RuleTestRunOptions { Filter = "f*" });
        Assert.Equal(["SRA-MFA-01 :: fails"], run.Results.Select(r => r.Case.FullName));
        Assert.Equal(3, Runner().Run([file], new RuleTestRunOptions { Filter = "sra-mfa-??" }).Results.Count);
        Assert.Equal(["SRA-MFA-01 :: denied"], Runner().Run([file], new RuleTestRunOptions { Filter = "SRA-MFA-01 :: d*" }).Results.Select(r => r.Case.FullName));
    }

    [Fact]
    [Covers(DiagnosticCodes.FilterMatchesNothing)]
    public void A_filter_that_matches_nothing_is_PE6006()
    {
        Write("fixtures/base.json", Fixture);
        var file = Write("pack/SRA-MFA-01.tests.yaml", Cases);
        var run = Runner().Run([file], new RuleTestRunOptions { Filter = "SRA-GUARDDUTY-*" });
        Assert.Equal(
            ["--filter: error PE6006: The filter 'SRA-GUARDDUTY-*' matches no rule id or case name among 3 case(s). Globs use * and ?, e.g. 'SRA-GUARDDUTY-*'."],
            run.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    [Covers(DiagnosticCodes.UnknownFixture)]
    public void Unknown_fixture_names_and_missing_fixture_files_are_PE6001_at_the_fixture()
    {
        Write("fixtures/base.json", Fixture);
        var file = Write("pack/SRA-MFA-01.tests.yaml", """
            rule: SRA-MFA-01
            cases:
              - name: misspelt
                fixture: bsae
                expect: []
              - name: relative
                fixture: ../org.json
                expect: []
              - name: found relative
                fixture: ../fixtures/base.json
                expect: [ { outcome: pass } ]
            """);
        var diagnostics = new List<Diagnostic>();
        var cases = Runner().Load([file], diagnostics);
        Assert.Equal(
            [
                $"{file}:4:14: error PE6001: Unknown fixture 'bsae'. Did you mean 'base'? Known fixtures: base. Name a file relative to the test file (fixture: ./my-org.json) or add its directory with --fixtures DIR.",
                $"{file}:7:14: error PE6001: Fixture file '../org.json' does not exist (paths are relative to the test file: {Path.Combine(_directory, "org.json").Replace('\\', '/')}).",
            ],
            diagnostics.Select(d => d.ToString()));
        Assert.Equal(["found relative"], cases.Select(c => c.Name));
        Assert.True(Runner().Run(cases[0]).Passed);
    }

    [Fact]
    [Covers(DiagnosticCodes.TestUnknownRule)]
    [Covers(DiagnosticCodes.DuplicateTestCase)]
    public void Unknown_rules_and_duplicate_case_names_are_PE6002_and_PE6003()
    {
        Write("fixtures/base.json", Fixture);
        var unknown = Write("pack/a.tests.yaml", "rule: SRA-MFA-02\ncases:\n  - name: x\n    expect: []\n");
        var duplicate = Write("pack/b.tests.yaml", "rule: SRA-MFA-01\ncases:\n  - name: x\n    expect: []\n  - name: x\n    expect: []\n");
        var diagnostics = new List<Diagnostic>();
        var cases = Runner().Load([unknown, duplicate], diagnostics);
        Assert.Equal(
            [
                $"{unknown}:1:7: error PE6002: The test file names rule 'SRA-MFA-02', which the rules under test do not have. Did you mean 'SRA-MFA-01'? Fix the id, or point --rules at the rule.",
                $"{duplicate}:5:5: error PE6003: Rule SRA-MFA-01 already has a case named 'x' at {duplicate}:3:5; give each case its own name.",
            ],
            diagnostics.Select(d => d.ToString()));
        Assert.Single(cases);
    }

    [Fact]
    [Covers(DiagnosticCodes.NoTestFiles)]
    public void Paths_without_test_files_are_PE6004()
    {
        Write("pack/rule.yaml", "id: X\n");
        var missing = Path.Combine(_directory, "nowhere").Replace('\\', '/');
        var pack = Path.Combine(_directory, "pack").Replace('\\', '/');
        var diagnostics = new List<Diagnostic>();
        foreach (var path in new[] { missing, pack, pack + "/rule.yaml" })
        {
            var found = new List<Diagnostic>();
            Assert.Empty(RuleTestRunner.FindTestFiles([path], found));
            diagnostics.AddRange(found);
        }

        Assert.Equal(
            [
                $"{missing}: error PE6004: The path does not exist. Give test files (*.tests.yaml) or directories holding them.",
                $"{pack}: error PE6004: No rule test files (*.tests.yaml) were found. Write one beside the rule it tests (see docs/rule-format.md, Rule tests).",
                $"{pack}/rule.yaml: error PE6004: This file is not a rule test file: test files end in .tests.yaml.",
            ],
            diagnostics.Select(d => d.ToString()));
        Assert.Empty(RuleTestRunner.TestFilesUnder([missing, pack, pack + "/rule.yaml"]));
    }

    [Fact]
    [Covers(DiagnosticCodes.FixtureUnreadable)]
    public void A_missing_fixture_directory_is_PE6005()
    {
        var missing = Path.Combine(_directory, "no-fixtures");
        var diagnostics = new List<Diagnostic>();
        new RuleTestFixtures([missing]).CheckDirectories(diagnostics, "--fixtures");
        Assert.Equal(
            [$"{missing.Replace('\\', '/')}: error PE6005: The fixture directory does not exist (given by --fixtures). Pass an existing directory of NAME.json snapshots."],
            diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    [Covers(DiagnosticCodes.InvalidCaseSnapshot)]
    public void A_case_whose_snapshot_is_invalid_fails_with_PE6007()
    {
        Write("fixtures/base.json", Fixture);
        var file = Write("pack/SRA-MFA-01.tests.yaml", "rule: SRA-MFA-01\ncases:\n  - name: broken\n    patch: { organization: [] }\n    expect: []\n");
        var run = Runner().Run([file], new RuleTestRunOptions());
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal((DiagnosticCodes.InvalidCaseSnapshot, new SourceLocation(file, 3, 5)), (diagnostic.Code, diagnostic.Location));
        Assert.StartsWith("This case cannot run: the case's snapshot (its fixture after the case's changes) is invalid: PE4003", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(1, run.Failed);
        Assert.True(run.HasErrors);
    }
}
