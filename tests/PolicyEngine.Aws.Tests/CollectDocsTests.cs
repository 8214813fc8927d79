using PolicyEngine.Aws.Docs;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Tests;

/// <summary>docs/collect.md must match the plan. Regenerate with UPDATE_DOCS=1.</summary>
public sealed class CollectDocsTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, "collectors")) && Directory.Exists(Path.Combine(d.FullName, "docs")) && Directory.Exists(Path.Combine(d.FullName, "src")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void CollectMdIsUpToDate()
    {
        var root = RepoRoot();
        var expected = CollectDocs.Generate(CollectionPlan.Load(Path.Combine(root, "collectors")));
        var path = Path.Combine(root, "docs", "collect.md");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), "docs/collect.md is missing: run UPDATE_DOCS=1 dotnet test tests/PolicyEngine.Aws.Tests --filter CollectDocsTests");
        Assert.True(expected == File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal),
            "docs/collect.md is stale: run UPDATE_DOCS=1 dotnet test tests/PolicyEngine.Aws.Tests --filter CollectDocsTests");
    }

    [Fact]
    public void PlanCoversTheSraServicesAndExposesEvidenceKeys()
    {
        var plan = CollectionPlan.Load(Path.Combine(RepoRoot(), "collectors"));
        string[] services = ["organizations", "cloudtrail", "config", "guardduty", "securityhub", "inspector2", "macie2", "accessanalyzer", "securitylake",
            "security-ir", "shield", "wafv2", "fms", "auditmanager", "account", "s3control", "ec2", "detective", "kms", "sso-admin", "bedrock", "sts",
            "s3", "sqs", "iam", "logs",
            "cloudfront", "elasticloadbalancingv2", "apigateway", "appsync", "cognito-idp", "apprunner", "amplify", "lambda", "cloudwatch"];
        Assert.Equal(services.Order(StringComparer.Ordinal), plan.Services.Select(s => s.Service));
        Assert.All(plan.Entries, e => Assert.Contains(e.Scope, PlanScopes.All));
        Assert.All(plan.Entries, e => Assert.Matches("^[a-z0-9-]+:[A-Za-z0-9]+$", e.IamAction));
        Assert.Contains(plan.Entries, e => e.Service == "ec2" && e.Operation == "GetEbsEncryptionByDefault" && e.Scope == "account-region");
        Assert.Contains(plan.Entries, e => e.Service == "organizations" && e.Operation == "DescribePolicy");
        Assert.Contains(plan.Entries, e => e.Service == "s3control" && e.IamAction == "s3:GetAccountPublicAccessBlock");
    }

    [Fact]
    public void MalformedPlanIsRejectedWithTheFileName()
    {
        var dir = CollectionTestSupport.TempDir();
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad.yaml"), "service: x\nprotocol: json\nendpointPrefix: x\noperations:\n  - operation: A\n    scope: everywhere\n");
            var ex = Assert.Throws<InvalidDataException>(() => CollectionPlan.Load(dir));
            Assert.Contains("unknown scope", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
