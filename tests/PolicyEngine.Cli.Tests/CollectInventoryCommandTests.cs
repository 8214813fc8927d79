using System.Text.Json;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Tests.Fakes;

namespace PolicyEngine.Cli.Tests;

/// <summary><c>collect</c>'s Config inventory options: the default types come from the pack's resource rules.</summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class CollectInventoryCommandTests : IDisposable
{
    private static readonly string[] Variables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-inventory-");
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        _dir.Delete(recursive: true);
    }

    [Fact]
    public void Config_aggregator_must_be_account_slash_name()
    {
        var result = CliRunner.Run("collect", "--endpoint-url", "http://127.0.0.1:9/", "--config-aggregator", "org-agg", "--output", Path.Combine(_dir.FullName, "s.json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error PE8030: --config-aggregator must be ACCOUNT/NAME (the 12-digit id of the account that owns the aggregator, a slash, its name), not 'org-agg'.\n", result.StandardError);
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void Resource_types_must_be_config_type_names()
    {
        var result = CliRunner.Run("collect", "--endpoint-url", "http://127.0.0.1:9/", "--resource-types", "AWS::S3::Bucket,S3 bucket", "--output", Path.Combine(_dir.FullName, "s.json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error PE8031: --resource-types 'S3 bucket' is not an AWS Config resource type; write it as Config does, e.g. AWS::S3::Bucket.\n", result.StandardError);
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void A_pack_with_resource_rules_turns_the_inventory_on_and_its_rules_evaluate_on_the_live_snapshot()
    {
        var rules = Directory.CreateDirectory(Path.Combine(_dir.FullName, "rules"));
        File.WriteAllText(Path.Combine(rules.FullName, "ACME-S3-01.yaml"), """
            id: ACME-S3-01
            title: "S3 buckets have default encryption"
            message: "Bucket {resource} in {account}/{region} has no default encryption."
            category: S3
            severity: high
            extension: true
            target: resource
            resourceType: AWS::S3::Bucket
            assert:
              - path: $.supplementaryConfiguration.ServerSideEncryptionConfiguration
                exists: true
            """);
        var org = FakeOrganization.Create(6, ["us-east-1", "eu-west-1"]);
        using var server = new FakeAwsServer(org, CollectionPlan.Load(Path.Combine(AppContext.BaseDirectory, "collectors")));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", FakeOrganization.BaseAccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", FakeOrganization.BaseSecretKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        var snapshotPath = Path.Combine(_dir.FullName, "snapshot.json");
        var collect = CliRunner.Run("collect", "--endpoint-url", server.BaseUri.ToString(), "--credentials-from-env", "--regions", "us-east-1,eu-west-1",
            "--rules", rules.FullName, "--concurrency", "8", "--output", snapshotPath);
        Assert.True(collect.ExitCode == 0, collect.StandardError);
        Assert.Contains("Config inventory: 7 configuration items of 1 resource types; every account and region collected.\n", collect.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, server.SelectCalls.GetValueOrDefault("SelectAggregateResourceConfig"));

        var evaluate = CliRunner.Run("evaluate", snapshotPath, "--rules", rules.FullName, "--format", "json", "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        using var report = JsonDocument.Parse(evaluate.StandardOutput);
        Assert.Equal(
            ["fail 100000000004 arn:aws:s3:::data-100000000004"],
            report.RootElement.GetProperty("findings").EnumerateArray()
                .Select(f => $"{f.GetProperty("outcome").GetString()} {f.GetProperty("subject").GetProperty("account").GetString()} {f.GetProperty("subject").GetProperty("resource").GetString()}"));
    }
}
