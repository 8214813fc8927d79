using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Tests.Fakes;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>Plan-runtime features: forEach transforms, organization-level fan-out, fixed REST query, XML lists.</summary>
public sealed class PlanFeatureTests : IClassFixture<CollectionTests.LargeRun>
{
    private readonly CollectionTests.LargeRun _run;

    public PlanFeatureTests(CollectionTests.LargeRun run) => _run = run;

    [Theory]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:my-queue", "https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue")]
    [InlineData("arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo", "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo")]
    [InlineData("arn:aws:sns:eu-west-1:123456789012:topic", null)]
    [InlineData("https://example.com/hook", null)]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue", "https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue")]
    [InlineData("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo", "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com.evil.example/123456789012/q", null)]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/1234/q", null)]
    [InlineData("http://sqs.eu-west-1.amazonaws.com/123456789012/q", null)]
    [InlineData("arn:aws:sqs:eu-west-1:1234:q", null)]
    public void SqsQueueUrlTransformTurnsQueueArnsIntoUrlsAndRejectsTheRest(string value, string? expected)
    {
        var result = CollectionPlan.Transform(JsonValue.Create(value), ["sqsQueueUrl"]);
        Assert.Equal(expected, result?.GetValue<string>());
    }

    [Fact]
    public void JsonFieldTransformReadsAFieldOfAJsonString()
    {
        var redrive = JsonValue.Create("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:dlq\",\"maxReceiveCount\":5}");
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/123456789012/dlq",
            CollectionPlan.Transform(redrive, ["json:deadLetterTargetArn", "sqsQueueUrl"])!.GetValue<string>());
        Assert.Null(CollectionPlan.Transform(JsonValue.Create("not json"), ["json:deadLetterTargetArn"]));
        Assert.Null(CollectionPlan.Transform(JsonValue.Create("{\"other\":1}"), ["json:deadLetterTargetArn"]));
    }

    [Fact]
    public void OrganizationAccountBatchesAreSortedAndBounded()
    {
        var oa = new PlanOrganizationAccounts { Parameter = "accountIds", BatchSize = 2 };
        var batches = oa.Batches(["300000000000", "100000000000", "200000000000", "100000000000"]).ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal(["100000000000", "200000000000"], batches[0]);
        Assert.Equal(["300000000000"], batches[1]);
    }

    [Fact]
    public void PlanDeclaresTheNewFeatures()
    {
        var plan = LoadPlan();
        var batch = plan.Entries.Single(e => e.Service == "security-ir" && e.Operation == "BatchGetMemberAccountDetails");
        Assert.Equal("accountIds", batch.OrganizationAccounts!.Parameter);
        Assert.Equal(100, batch.OrganizationAccounts.BatchSize);
        var encryption = plan.Entries.Single(e => e.Service == "s3" && e.Operation == "GetBucketEncryption");
        Assert.Equal([new KeyValuePair<string, string>("encryption", string.Empty)], encryption.FixedQuery);
    }

    [Fact]
    public void BatchGetMemberAccountDetailsCoversEveryActiveAccountInBatchesOfAtMost100()
    {
        var active = _run.Doc.RootElement.GetProperty("organization").GetProperty("accounts").EnumerateArray()
            .Where(a => a.GetProperty("State").GetString() == "ACTIVE").Select(a => a.GetProperty("Id").GetString()!).Order(StringComparer.Ordinal).ToList();
        // The membership lives in one region: its details are read there only, whichever regions list it.
        Assert.Contains(_run.Records, r => r.Service == "security-ir" && r.Operation == "ListMemberships" && r.Status == "ok");
        Assert.All(_run.Records.Where(r => r.Operation is "BatchGetMemberAccountDetails" or "GetMembership"), r => Assert.Equal(_run.Org.MembershipRegion, r.Region));
        foreach (var region in new[] { _run.Org.MembershipRegion })
        {
            var recs = _run.Records.Where(r => r.Operation == "BatchGetMemberAccountDetails" && r.Region == region).ToList();
            Assert.All(recs, r => Assert.Equal(FakeOrganization.AuditAccount, r.Account));
            var ids = recs.Select(r => r.Element.GetProperty("parameters").GetProperty("accountIds").EnumerateArray().Select(x => x.GetString()!).ToList()).ToList();
            Assert.All(ids, b => Assert.InRange(b.Count, 1, 100));
            Assert.Equal(active, ids.SelectMany(b => b).ToList());
            Assert.All(recs, r => Assert.Equal("m-" + FakeOrganization.AuditAccount, r.Element.GetProperty("parameters").GetProperty("membershipId").GetString()));
            Assert.All(recs.Where(r => r.Status == "ok"), r => Assert.Equal(
                r.Element.GetProperty("parameters").GetProperty("accountIds").GetArrayLength(), r.Element.GetProperty("response").GetProperty("items").GetArrayLength()));
        }
    }

    [Fact]
    public void SubscriberQueuesAndTheirDeadLetterQueuesAreReadByUrl()
    {
        foreach (var region in _run.Records.Where(r => r.Service == "securitylake" && r.Operation == "ListSubscribers" && r.Status == "ok").Select(r => r.Region))
        {
            var urls = _run.Records.Where(r => r.Service == "sqs" && r.Region == region)
                .Select(r => r.Element.GetProperty("parameters").GetProperty("QueueUrl").GetString()).Order(StringComparer.Ordinal).ToList();
            var prefix = $"https://sqs.{region}.amazonaws.com/{FakeOrganization.LogArchiveAccount}/AmazonSecurityLake-";
            var main = _run.Records.Single(r => r.Service == "sqs" && r.Region == region && r.Parameters.Contains("s1-Main-Queue", StringComparison.Ordinal));
            var byUrl = _run.Records.Single(r => r.Service == "sqs" && r.Region == region && r.Parameters.Contains("s3-Main-Queue", StringComparison.Ordinal));
            if (main.Status != "ok" || byUrl.Status != "ok")
            {
                continue;
            }

            Assert.Equal([prefix + "s1-DLQ", prefix + "s1-Main-Queue", prefix + "s3-DLQ", prefix + "s3-Main-Queue"], urls);
            Assert.Equal(["KmsMasterKeyId", "SqsManagedSseEnabled", "RedrivePolicy"], main.Element.GetProperty("parameters").GetProperty("AttributeNames").EnumerateArray().Select(a => a.GetString()));
        }
    }

    [Fact]
    public void RestXmlListsAndFixedQueryWork()
    {
        var list = _run.Records.Single(r => r.Service == "s3" && r.Operation == "ListBuckets");
        Assert.Equal(FakeOrganization.LogArchiveAccount, list.Account);
        if (list.Status == "ok")
        {
            var buckets = list.Element.GetProperty("response").GetProperty("Buckets");
            Assert.Equal("logs-" + FakeOrganization.LogArchiveAccount, Assert.Single(buckets.EnumerateArray()).GetProperty("Name").GetString());
        }

        var enc = _run.Records.Where(r => r.Service == "s3" && r.Operation == "GetBucketEncryption" && r.Account == FakeOrganization.LogArchiveAccount).ToList();
        Assert.NotEmpty(enc);
        Assert.All(enc, r => Assert.Equal("{\"Bucket\":\"bedrock-logs-" + FakeOrganization.LogArchiveAccount + "\"}", r.Parameters));
        var ok = enc.First(r => r.Status == "ok");
        Assert.Equal("aws:kms", ok.Element.GetProperty("response").GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0]
            .GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());
        Assert.Contains(_run.Records, r => r.Service == "logs" && r.Operation == "DescribeLogGroups" && r.Status == "ok" && r.Parameters.Contains("/bedrock/invocations", StringComparison.Ordinal));
        var features = _run.Records.Single(r => r.Service == "iam" && r.Operation == "ListOrganizationsFeatures");
        Assert.Equal(FakeOrganization.ManagementAccount, features.Account);
    }
}

/// <summary>The forEach region routing: where a call may be sent, and what the plan refuses.</summary>
public sealed class RegionRoutingTests
{
    [Theory]
    [InlineData("eu-west-1", "aws", true)]
    [InlineData("us-gov-west-1", "aws-us-gov", true)]
    [InlineData("cn-north-1", "aws-cn", true)]
    [InlineData("cn-north-1", "aws", false)]
    [InlineData("eu-west-1.evil.example", "aws", false)]
    [InlineData("127.0.0.1:9", "aws", false)]
    [InlineData("EU-WEST-1", "aws", false)]
    [InlineData("", "aws", false)]
    [InlineData("eu--west-1", "aws", false)]
    public void A_region_read_from_a_response_is_used_only_when_it_is_a_region_name_of_the_partition(string region, string partition, bool expected) =>
        Assert.Equal(expected, AwsPartitions.IsRegionOf(region, partition));

    [Theory]
    [InlineData("  - { operation: A, scope: account }\n  - { operation: B, scope: account, forEach: [ { parameter: X, from: A, select: \"items[]\", value: id, region: region } ] }",
        "svc:B: forEach 'region' needs a regional scope, not 'account'")]
    [InlineData("  - { operation: A, scope: account-region }\n  - { operation: B, scope: account-region, forEach: [ { parameter: X, from: A, select: \"items[]\", value: id, region: region } ] }\n  - { operation: C, scope: account-region, forEach: [ { parameter: Y, from: B, select: \"y[]\" } ] }",
        "svc:B: an operation called in another region (forEach 'region') cannot be the source of a forEach")]
    [InlineData("  - { operation: B, scope: account-region, forEach: [ { parameter: X, values: [a], value: id } ] }",
        "B: forEach 'value' and 'region' need 'from' and 'select'")]
    public void The_plan_refuses_region_routing_it_cannot_run(string operations, string expected)
    {
        var dir = TempDir();
        try
        {
            File.WriteAllText(Path.Combine(dir, "svc.yaml"), $"service: svc\nprotocol: json\ntargetPrefix: Svc\nendpointPrefix: svc\noperations:\n{operations}\n");
            var ex = Assert.Throws<InvalidDataException>(() => CollectionPlan.Load(dir));
            // Validation across files names the entry; a file's own problem is prefixed with the file.
            Assert.True(ex.Message == expected || ex.Message.EndsWith("svc.yaml: " + expected, StringComparison.Ordinal), ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
