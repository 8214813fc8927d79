using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Rules;

/// <summary>The compiler's check stage against the evidence catalogue: where evidence is collected (PE1040) and how it is typed (PE1041).</summary>
public class EvidenceCatalogCheckTests
{
    private const string Trails = "collectors/cloudtrail.yaml:10:5";
    private const string PasswordPolicy = "collectors/iam.yaml:20:5";

    private static readonly OperationCatalog Plan = OperationCatalog.Of(
    [
        new CollectedOperation(new OperationName("cloudtrail", "DescribeTrails"), [new CollectionSite("management", true, Trails)], NumberTyping.AsSent),
        new CollectedOperation(new OperationName("guardduty", "ListDetectors"), [new CollectionSite(null, true, "collectors/guardduty.yaml:9:5")], NumberTyping.AsSent),
        new CollectedOperation(new OperationName("organizations", "DescribeOrganization"), [new CollectionSite("management", false)], NumberTyping.AsSent),
        new CollectedOperation(new OperationName("iam", "GetAccountPasswordPolicy"), [new CollectionSite(null, false, PasswordPolicy)], NumberTyping.Text([], "query", PasswordPolicy)),
        new CollectedOperation(new OperationName("ec2", "GetInstanceMetadataDefaults"), [new CollectionSite(null, true)], NumberTyping.Text(["HttpPutResponseHopLimit"], "ec2", "collectors/ec2.yaml:11:5")),
        new CollectedOperation(new OperationName("kms", "GetKeyRotationStatus"), [new CollectionSite(null, true)], NumberTyping.AsSent),
        new CollectedOperation(new OperationName("wafv2", "ListWebACLs"), [new CollectionSite(null, true), new CollectionSite(null, false)], NumberTyping.AsSent),
    ]);

    private static string[] Check(string body, OperationCatalog? catalog = null)
    {
        var compilation = new RuleCompiler(catalog ?? Plan).Compile([new RuleSource("rule.yaml", "rule.yaml", Rule(body))]);
        Assert.True(compilation.Success, string.Join("\n", compilation.Diagnostics));
        Assert.All(compilation.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        return [.. compilation.Diagnostics.Select(d => d.ToString())];
    }

    [Fact]
    [Covers(DiagnosticCodes.EvidenceNotCollected)]
    public void Reading_management_only_evidence_in_every_account_warns_at_the_input()
    {
        Assert.Equal(
            [
                "rule.yaml:8:3: warning PE1040: Input 'trails' reads cloudtrail:DescribeTrails in every account, per region, but the collection plan " +
                "collects it only in the management account, per region (collectors/cloudtrail.yaml:10:5). Evaluation will find no evidence anywhere " +
                "it reads it and report InsufficientData. Read it where it is collected (the input's 'account' and 'region', or the rule's 'scope.roles'), " +
                "or collect it there (a plan entry with a matching 'scope', passed with --collectors).",
            ],
            Check("""
                target: account-region
                inputs:
                  trails: cloudtrail:DescribeTrails
                assert: { path: $.trailList, notEmpty: true }
                """));
    }

    [Theory]
    [InlineData("inputs:\n  trails: { operation: cloudtrail:DescribeTrails, account: management }\n")]
    [InlineData("scope: { roles: [management] }\ninputs:\n  trails: cloudtrail:DescribeTrails\n")]
    [InlineData("inputs:\n  trails: { operation: cloudtrail:DescribeTrails, account: '123456789012' }\n")]
    public void Reading_evidence_where_it_is_collected_or_in_a_literal_account_does_not_warn(string inputs) =>
        Assert.Empty(Check("target: account-region\n" + inputs + "assert: { path: $.trailList, notEmpty: true }\n"));

    [Fact]
    public void An_open_catalogue_checks_nothing() =>
        Assert.Empty(Check("target: account-region\ninputs:\n  trails: cloudtrail:DescribeTrails\nassert: { path: $.trailList, notEmpty: true }\n", OperationCatalog.Open));

    [Fact]
    public void Only_the_roles_the_plan_misses_are_named()
    {
        var warning = Assert.Single(Check("""
            target: account-region
            scope: { roles: [management, securityTooling] }
            inputs:
              trails: cloudtrail:DescribeTrails
            assert: { path: $.trailList, notEmpty: true }
            """));
        Assert.StartsWith(
            "rule.yaml:9:3: warning PE1040: Input 'trails' reads cloudtrail:DescribeTrails in the management and securityTooling accounts, per region, " +
            "but the collection plan collects it only in the management account, per region (collectors/cloudtrail.yaml:10:5). " +
            "Evaluation will find no evidence in the securityTooling account, per region and report InsufficientData.",
            warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_regional_evidence_as_global_warns()
    {
        var warning = Assert.Single(Check("""
            target: account
            inputs:
              detectors: { operation: guardduty:ListDetectors, region: us-east-1 }
              global: { operation: guardduty:ListDetectors, region: global }
            assert: { path: $.DetectorIds, notEmpty: true }
            """));
        Assert.StartsWith(
            "rule.yaml:9:3: warning PE1040: Input 'global' reads guardduty:ListDetectors in every account, once per account (region \"global\"), " +
            "but the collection plan collects it only in every account, per region (collectors/guardduty.yaml:9:5).",
            warning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_collected_both_per_region_and_globally_covers_both_reads() =>
        Assert.Empty(Check("""
            target: account-region
            inputs:
              regional: wafv2:ListWebACLs
              cloudFront: { operation: wafv2:ListWebACLs, region: global }
            assert: { path: $.WebACLs, exists: true }
            """));

    [Fact]
    public void An_evidence_target_read_in_every_account_warns_at_the_operation()
    {
        var warning = Assert.Single(Check("""
            target: evidence
            operation: cloudtrail:DescribeTrails
            assert: { path: $.trailList, exists: true }
            """));
        Assert.StartsWith(
            "rule.yaml:7:12: warning PE1040: The rule's target reads cloudtrail:DescribeTrails in every account, per region, but the collection plan " +
            "collects it only in the management account, per region (collectors/cloudtrail.yaml:10:5).",
            warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Organization_targets_read_the_subject_in_the_management_account() =>
        Assert.Empty(Check("target: organization\ninputs:\n  org: organizations:DescribeOrganization\nassert: { path: $.Organization, exists: true }\n"));

    [Fact]
    [Covers(DiagnosticCodes.NumberRecordedAsText)]
    public void A_numeric_comparison_on_an_xml_member_the_plan_does_not_type_warns_at_the_condition()
    {
        Assert.Equal(
            [
                "rule.yaml:10:5: warning PE1041: This condition compares $.PasswordPolicy.MinimumPasswordLength of iam:GetAccountPasswordPolicy as a number " +
                "(it must be >= 14), but the collector records 'MinimumPasswordLength' as text: the query protocol answers in XML and the plan entry " +
                "(collectors/iam.yaml:20:5) names no service model to type it. On collected snapshots the comparison never holds, even though test " +
                "evidence with real numbers passes. Name the service's AWS model in its collector file (model: SERVICE/API-VERSION), which types every member.",
            ],
            Check("""
                target: account
                inputs:
                  policy: iam:GetAccountPasswordPolicy
                assert:
                  - path: $.PasswordPolicy.MinimumPasswordLength
                    greaterOrEqual: 14
                  - { path: $.PasswordPolicy.RequireSymbols, equals: true }
                """));
    }

    [Theory]
    [InlineData("equals: 14")]
    [InlineData("in: [14, 15]")]
    [InlineData("notEquals: 0")]
    [InlineData("lessThan: 100")]
    public void Every_comparison_with_numbers_is_checked(string test) =>
        Assert.Contains("warning PE1041:", Assert.Single(Check(
            $"target: account\ninputs:\n  policy: iam:GetAccountPasswordPolicy\nassert:\n  not: {{ path: $.PasswordPolicy.MinimumPasswordLength, {test} }}\n")), StringComparison.Ordinal);

    [Theory]
    [InlineData("iam:GetAccountPasswordPolicy", "$.PasswordPolicy.MinimumPasswordLength", "equals: '14'")]
    [InlineData("ec2:GetInstanceMetadataDefaults", "$.AccountLevel.HttpPutResponseHopLimit", "lessOrEqual: 2")]
    [InlineData("kms:GetKeyRotationStatus", "$.RotationPeriodInDays", "lessOrEqual: 365")]
    public void Text_comparisons_typed_members_and_json_protocols_do_not_warn(string operation, string path, string test) =>
        Assert.Empty(Check($"target: account-region\ninputs:\n  data: {operation}\nassert: {{ path: '{path}', {test} }}\n"));

    [Fact]
    public void A_forEach_item_is_typed_by_its_input()
    {
        var warning = Assert.Single(Check("""
            target: account
            inputs:
              policy: iam:GetAccountPasswordPolicy
            forEach: { input: policy, path: '$.PasswordPolicy.Ages[*]' }
            assert: { path: '$', greaterThan: 0 }
            """));
        Assert.Contains("compares $ of iam:GetAccountPasswordPolicy as a number (it must be > 0), but the collector records it as text", warning, StringComparison.Ordinal);
        Assert.EndsWith("Name the service's AWS model in its collector file (model: SERVICE/API-VERSION), which types every member.", warning, StringComparison.Ordinal);
    }
}
