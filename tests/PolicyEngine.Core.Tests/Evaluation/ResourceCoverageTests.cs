using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Evaluation;

/// <summary>
/// Resource rules read <c>coverage.resources</c>: items present are checked, and every account and region whose items
/// were not (all) collected gives InsufficientData, so a live snapshot never passes on items nobody read.
/// </summary>
public sealed class ResourceCoverageTests
{
    /// <summary>
    /// A live snapshot as <c>collect</c> writes it with Config inventory: two accounts in two regions; account 2222 was
    /// not collected in eu-west-1 (AccessDenied) and only partly in us-east-1 (throttled).
    /// </summary>
    private const string Live = """
        {
          "formatVersion": "1.0",
          "metadata": { "callerAccountId": "111111111111", "collectedAt": "2026-11-30T12:00:00Z", "partition": "aws", "source": "live" },
          "organization": { "accounts": [ { "Id": "111111111111", "Name": "Management", "State": "ACTIVE" },
                                          { "Id": "222222222222", "Name": "Audit", "State": "ACTIVE" } ] },
          "roles": { "securityTooling": [ { "accountId": "222222222222", "source": "configured", "reason": "--security-tooling-account" } ] },
          "regions": { "governed": [ "eu-west-1", "us-east-1" ], "enabledByAccount": {} },
          "evidence": [],
          "resources": [
            { "ARN": "arn:aws:s3:::logs", "awsAccountId": "111111111111", "awsRegion": "us-east-1", "configuration": { "name": "logs" },
              "resourceId": "logs", "resourceType": "AWS::S3::Bucket", "supplementaryConfiguration": { "ServerSideEncryptionConfiguration": { "rules": [] } } },
            { "ARN": "arn:aws:s3:::plain", "awsAccountId": "222222222222", "awsRegion": "us-east-1", "configuration": { "name": "plain" },
              "resourceId": "plain", "resourceType": "AWS::S3::Bucket", "supplementaryConfiguration": { } }
          ],
          "coverage": {
            "resources": {
              "source": "aggregator",
              "resourceTypes": [ "AWS::S3::Bucket" ],
              "byAccount": {
                "111111111111": { "eu-west-1": { "status": "collected", "items": 0 }, "us-east-1": { "status": "collected", "items": 1 } },
                "222222222222": { "eu-west-1": { "status": "notCollected", "reason": "AccessDeniedException: not authorized" },
                                  "us-east-1": { "status": "partial", "reason": "ThrottlingException after 6 attempts: page 2 not read", "items": 1 } }
              }
            },
            "sections": { "evidence": "notCollected", "organization": "collected", "resources": "partial" }
          }
        }
        """;

    private static readonly string Encrypted = Rule(
        "target: resource\nresourceType: AWS::S3::Bucket\nassert:\n  - path: $.supplementaryConfiguration.ServerSideEncryptionConfiguration\n    exists: true\n",
        message: "Bucket {resource} has no default encryption.");

    [Fact]
    public void Items_present_are_checked_and_each_account_region_not_fully_collected_is_insufficient_data()
    {
        Assert.Equal(
            [
                "pass 111111111111/us-east-1/arn:aws:s3:::logs $['resources'][0]['supplementaryConfiguration']['ServerSideEncryptionConfiguration'] 11:133 | Passed: $.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject exists: { \"rules\": [] }.",
                "insufficientData 222222222222/eu-west-1/AWS::S3::Bucket $['coverage']['resources']['byAccount']['222222222222']['eu-west-1'] 21:40 | Insufficient data: the AWS::S3::Bucket resources of account 222222222222 in eu-west-1 were not collected (AccessDeniedException: not authorized), so not all of them can be checked.",
                "insufficientData 222222222222/us-east-1/AWS::S3::Bucket $['coverage']['resources']['byAccount']['222222222222']['us-east-1'] 22:40 | Insufficient data: the AWS::S3::Bucket resources of account 222222222222 in us-east-1 were only partly collected (ThrottlingException after 6 attempts: page 2 not read), so not all of them can be checked.",
                "fail 222222222222/us-east-1/arn:aws:s3:::plain $['resources'][1] 12:5 | Bucket arn:aws:s3:::plain has no default encryption ($.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject selects nothing).",
            ],
            Evaluate(Encrypted, Live));
    }

    [Fact]
    public void A_type_that_was_not_collected_is_insufficient_data_not_absent()
    {
        Assert.Equal(
            ["insufficientData -/global/organization $['coverage']['resources']['resourceTypes'] 18:24 | Insufficient data: AWS::GuardDuty::Detector was not among the resource types collected, so its resources cannot be checked; collect with --resource-types AWS::GuardDuty::Detector (or a rule pack that reads it)."],
            Evaluate(Encrypted.Replace("AWS::S3::Bucket", "AWS::GuardDuty::Detector", StringComparison.Ordinal), Live));
    }

    [Fact]
    public void Gaps_outside_the_rules_scope_are_not_reported()
    {
        var management = Encrypted.Replace("target: resource", "scope:\n  roles: [securityTooling]\ntarget: resource", StringComparison.Ordinal);
        Assert.Equal(
            [
                "notApplicable 111111111111/us-east-1/arn:aws:s3:::logs - 0:0 | The account is not a securityTooling account.",
                "insufficientData 222222222222/eu-west-1/AWS::S3::Bucket $['coverage']['resources']['byAccount']['222222222222']['eu-west-1'] 21:40 | Insufficient data: the AWS::S3::Bucket resources of account 222222222222 in eu-west-1 were not collected (AccessDeniedException: not authorized), so not all of them can be checked.",
                "insufficientData 222222222222/us-east-1/AWS::S3::Bucket $['coverage']['resources']['byAccount']['222222222222']['us-east-1'] 22:40 | Insufficient data: the AWS::S3::Bucket resources of account 222222222222 in us-east-1 were only partly collected (ThrottlingException after 6 attempts: page 2 not read), so not all of them can be checked.",
                "fail 222222222222/us-east-1/arn:aws:s3:::plain $['resources'][1] 12:5 | Bucket arn:aws:s3:::plain has no default encryption ($.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject selects nothing).",
            ],
            Evaluate(management, Live));
    }

    [Fact]
    public void Every_account_region_collected_and_no_item_is_not_applicable()
    {
        var complete = Live.Replace("\"notCollected\", \"reason\"", "\"collected\", \"reason\"", StringComparison.Ordinal)
            .Replace("\"partial\", \"reason\"", "\"collected\", \"reason\"", StringComparison.Ordinal);
        Assert.Equal(
            ["notApplicable -/global/organization - 0:0 | The snapshot has no AWS::S3::Bucket resources to check."],
            Evaluate(Encrypted.Replace("AWS::S3::Bucket", "AWS::S3::Bucket2", StringComparison.Ordinal),
                complete.Replace("\"AWS::S3::Bucket\" ]", "\"AWS::S3::Bucket\", \"AWS::S3::Bucket2\" ]", StringComparison.Ordinal)).Select(f => f.Replace("Bucket2", "Bucket", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ctx_resources_of_a_type_with_uncollected_account_regions_is_insufficient_data()
    {
        var rule = Rule("target: organization\npredicate: |\n  const all = ctx.resources('AWS::S3::Bucket');\n  return { pass: all.length > 0, message: 'buckets' };\n");
        Assert.Equal(
            ["insufficientData -/global/organization $['organization'] 4:19 | The resources of account 222222222222 in eu-west-1 were not collected (and in 1 more account and region pairs), so ctx.resources('AWS::S3::Bucket') cannot tell which resources exist."],
            Evaluate(rule, Live));
    }

    [Fact]
    public void A_coverage_status_the_engine_does_not_know_is_a_located_shape_error()
    {
        Assert.Equal(
            ["snap.json:21:40: error PE4003: A region's resource coverage is an object whose \"status\" is \"collected\", \"partial\" or \"notCollected\". (at $['coverage']['resources']['byAccount']['222222222222']['eu-west-1'])"],
            LoadErrors(Live.Replace("\"notCollected\", \"reason\"", "\"missing\", \"reason\"", StringComparison.Ordinal)));
    }
}
