using PolicyEngine.Core.Documentation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Documentation;

public class RulePackDocsTests
{
    private const string CloudTrail = """
            id: SRA-CLOUDTRAIL-01
            title: An organization trail | is configured
            message: "No trail in {account}."
            category: CloudTrail
            severity: high
            description: >
              Line one
              line two.
            remediation: Create a trail.
            helpUri: https://example.com/ct
            references:
              sraVerify: SRA-CT-01
              sraExamples: cloudtrail/cloudtrail_org
            differsFromSraVerify: Checks every region.
            target: account-region
            scope:
              roles: [management]
            inputs:
              trails:
                operation: cloudtrail:DescribeTrails
                parameters: { includeShadowTrails: "true" }
              summary:
                operation: iam:GetAccountSummary
                account: logArchive
            assert:
              - path: $.trailList[*]
                exists: true
            """;

    private const string Iam = """
            id: SRA-IAM-01
            title: MFA on root
            message: "No MFA in {account}."
            category: IAM
            severity: critical
            extension: true
            target: account
            inputs:
              summary: iam:GetAccountSummary
            predicate: |
              return true;
            """;

    private static RuleSet TwoRules()
    {
        var catalog = new OperationCatalog(
        [
            new(new OperationName("cloudtrail", "DescribeTrails"), CollectionScope.AccountRegion),
            new(new OperationName("iam", "GetAccountSummary"), CollectionScope.Account),
        ]);
        var compilation = new RuleCompiler(catalog).Compile(
            [new RuleSource("a.yaml", "svc/a.yaml", CloudTrail + "\n"), new RuleSource("b.yaml", "b.yaml", Iam + "\n")]);
        Assert.Empty(compilation.Diagnostics);
        return compilation.RuleSet!;
    }

    private static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";

    [Fact]
    public void Rules_reference_is_exactly_the_expected_markdown()
    {
        Assert.Equal(Lines(
            "# Rules reference",
            "",
            "Generated from `policies/` by `dotnet test` (set `UPDATE_DOCS=1` to rewrite it); do not edit by hand.",
            "",
            "2 rules: 1 port SRA Verify checks, 1 are extensions beyond it. 1 deliberately differ from SRA Verify's outcome (see each rule's note).",
            "",
            "| Service | Rules | Extensions |",
            "|---|---:|---:|",
            "| CloudTrail | 1 | 0 |",
            "| IAM | 1 | 1 |",
            "",
            "## CloudTrail",
            "",
            "| ID | Title | Severity | Account scope | Target | Origin |",
            "|---|---|---|---|---|---|",
            "| [SRA-CLOUDTRAIL-01](#sra-cloudtrail-01) | An organization trail \\| is configured | high | management account(s) | account-region | SRA Verify |",
            "",
            "### SRA-CLOUDTRAIL-01",
            "",
            "**An organization trail \\| is configured** (high; `svc/a.yaml`)",
            "",
            "Line one line two.",
            "",
            "- Checks: account-region subjects in management account(s), reading `cloudtrail:DescribeTrails`, `iam:GetAccountSummary`",
            "- Remediation: Create a trail.",
            "- SRA Verify: SRA-CT-01",
            "- SRA examples solution: `cloudtrail/cloudtrail_org`",
            "- Differs from SRA Verify: Checks every region.",
            "- Guidance: <https://example.com/ct>",
            "",
            "## IAM",
            "",
            "| ID | Title | Severity | Account scope | Target | Origin |",
            "|---|---|---|---|---|---|",
            "| [SRA-IAM-01](#sra-iam-01) | MFA on root | critical | every active account | account | extension |",
            "",
            "### SRA-IAM-01",
            "",
            "**MFA on root** (critical; `b.yaml`)",
            "",
            "- Checks: account subjects in every active account, reading `iam:GetAccountSummary` (JavaScript predicate)"), RulePackDocs.RulesReference(TwoRules()));
    }

    [Fact]
    public void Evidence_matrix_is_exactly_the_expected_markdown()
    {
        Assert.Equal(Lines(
            "# Evidence matrix",
            "",
            "Every AWS API call the rule pack reads: in which accounts and regions, with which identifying parameters, and which rules read it. The collector (`collectors/*.yaml`) gathers these; the rule compiler rejects a rule that reads an operation the plan does not collect (PE1009).",
            "",
            "Generated from `policies/` by `dotnet test` (set `UPDATE_DOCS=1` to rewrite it); do not edit by hand.",
            "",
            "2 operations.",
            "",
            "| Operation | Accounts / regions {parameters} | Rules |",
            "|---|---|---|",
            "| `cloudtrail:DescribeTrails` | management account(s) / governed regions {includeShadowTrails=true} | SRA-CLOUDTRAIL-01 |",
            "| `iam:GetAccountSummary` | every active account / global | SRA-IAM-01 |",
            "| `iam:GetAccountSummary` | logArchive / global | SRA-CLOUDTRAIL-01 |"), RulePackDocs.EvidenceMatrix(TwoRules()));
    }
}
