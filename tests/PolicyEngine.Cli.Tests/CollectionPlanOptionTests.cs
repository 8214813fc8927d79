namespace PolicyEngine.Cli.Tests;

/// <summary>
/// <c>--collectors</c>: the compiler checks rules against the collection plan (PE1040, PE1041), custom plan directories
/// take part next to the shipped one (<c>builtin</c>), and plan mistakes are located diagnostics (PE8001-PE8003).
/// </summary>
public sealed class CollectionPlanOptionTests : IDisposable
{
    private const string Header = "id: ACME-TRAILS-01\ntitle: Trails\nmessage: \"Check failed for {account}.\"\ncategory: Test\nseverity: high\n";
    private const string KmsSettings = "service: kms\nprotocol: json\nmodel: kms/2014-11-01\njsonVersion: \"1.1\"\ntargetPrefix: TrentService\nendpointPrefix: kms\nsigningName: kms\n";
    private const string IamSettings = "service: iam\nprotocol: query\napiVersion: \"2010-05-08\"\nendpointPrefix: iam\nsigningName: iam\n" +
                                       "hostPattern: \"iam.{dnsSuffix}\"\nglobalRegions: { aws: us-east-1, aws-cn: cn-north-1, aws-us-gov: us-gov-west-1 }\n";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-plan-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private string Dir(string name) => Path.Combine(_dir.FullName, name).Replace('\\', '/');

    /// <summary>Where the shipped plan declares an operation, as file:line:col (computed, so plan edits elsewhere do not break the test).</summary>
    private static string Shipped(string service, string operation)
    {
        var lines = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "collectors", service + ".yaml"));
        var line = Array.FindIndex(lines, l => l.TrimEnd() == "  - operation: " + operation) + 1;
        Assert.True(line > 0, $"{service}:{operation} is not in the shipped plan");
        return $"collectors/{service}.yaml:{line}:5";
    }

    [Fact]
    public void Validate_warns_when_a_rule_reads_evidence_where_the_plan_does_not_collect_it()
    {
        var rule = Write("rules/trails.yaml", Header + "target: account-region\ninputs:\n  trails: cloudtrail:DescribeTrails\nassert: { path: $.trailList, notEmpty: true }\n");
        var result = CliRunner.Run("validate", "--rules", rule, "--collectors", "collectors");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("1 rule compiled, 0 errors, 1 warning.\n", result.StandardOutput);
        Assert.Equal(
            $"{rule.Replace('\\', '/')}:8:3: warning PE1040: Input 'trails' reads cloudtrail:DescribeTrails in every account, per region, but the collection plan " +
            $"collects it only in the management account, per region ({Shipped("cloudtrail", "DescribeTrails")}). Evaluation will find no evidence anywhere " +
            "it reads it and report InsufficientData. Read it where it is collected (the input's 'account' and 'region', or the rule's 'scope.roles'), " +
            "or collect it there (a plan entry with a matching 'scope', passed with --collectors).\n",
            result.StandardError);

        // The default is the shipped plan, which 'builtin' also names.
        Assert.Contains("warning PE1040:", CliRunner.Run("validate", "--rules", rule).StandardError, StringComparison.Ordinal);
        Assert.Contains("warning PE1040:", CliRunner.Run("validate", "--rules", rule, "--collectors", "builtin").StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_plan_directory_adds_operations_to_the_shipped_plan_for_validate_and_evaluate()
    {
        var rule = Write("rules/keys.yaml", Header + "target: account-region\ninputs:\n  keys: kms:ListKeys\nassert: { path: $.Keys, exists: true }\n");
        Write("plan/kms.yaml", KmsSettings + "operations:\n  - operation: ListKeys\n    scope: account-region\n");

        var without = CliRunner.Run("validate", "--rules", rule);
        Assert.Equal(2, without.ExitCode);
        Assert.Contains(":8:9: error PE1009: Operation 'kms:ListKeys' is not in the collection plan", without.StandardError, StringComparison.Ordinal);

        var with = CliRunner.Run("validate", "--rules", rule, "--collectors", "builtin", "--collectors", Dir("plan"));
        Assert.True(with.ExitCode == 0, with.StandardError);
        Assert.Equal(string.Empty, with.StandardError);
        Assert.Equal("1 rule compiled, 0 errors, 0 warnings.\n", with.StandardOutput);

        var evaluate = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--rules", rule, "--collectors", "builtin", Dir("plan"), "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
    }

    [Fact]
    public void A_numeric_comparison_on_an_xml_member_warns_until_the_plan_names_the_model()
    {
        var rule = Write("rules/password.yaml", Header +
            "target: account\ninputs:\n  policy: iam:GetAccountPasswordPolicy\nassert:\n  path: $.PasswordPolicy.MinimumPasswordLength\n  greaterOrEqual: 14\n");
        Write("text/iam.yaml", IamSettings + "operations:\n  - operation: GetAccountPasswordPolicy\n    scope: account\n");
        Write("typed/iam.yaml", IamSettings + "model: iam/2010-05-08\noperations:\n  - operation: GetAccountPasswordPolicy\n    scope: account\n");

        // A custom plan of its own (the shipped iam.yaml names the model, and a service's files must agree).
        var text = CliRunner.Run("validate", "--rules", rule, "--collectors", Dir("text"));
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Equal(
            $"{rule.Replace('\\', '/')}:10:3: warning PE1041: This condition compares $.PasswordPolicy.MinimumPasswordLength of iam:GetAccountPasswordPolicy as a number " +
            $"(it must be >= 14), but the collector records 'MinimumPasswordLength' as text: the query protocol answers in XML and the plan entry " +
            $"({Dir("text")}/iam.yaml:9:5) names no service model to type it. On collected snapshots the comparison never holds, even though test evidence " +
            "with real numbers passes. Name the service's AWS model in its collector file (model: SERVICE/API-VERSION), which types every member.\n",
            text.StandardError);

        var typed = CliRunner.Run("validate", "--rules", rule, "--collectors", Dir("typed"));
        Assert.True(typed.ExitCode == 0, typed.StandardError);
        Assert.Equal(string.Empty, typed.StandardError);
    }

    [Fact]
    public void One_operation_twice_with_overlapping_scopes_is_a_located_plan_error()
    {
        Write("plan/cloudtrail.yaml", "service: cloudtrail\nprotocol: json\nmodel: cloudtrail/2013-11-01\njsonVersion: \"1.1\"\ntargetPrefix: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101\n" +
                                      "endpointPrefix: cloudtrail\nsigningName: cloudtrail\noperations:\n  - operation: DescribeTrails\n    scope: account-region\n" +
                                      "    parameters: { includeShadowTrails: true }\n");
        var result = CliRunner.Run("validate", "--collectors", "collectors", Dir("plan"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("1 error, 0 warnings.\n", result.StandardOutput);
        Assert.Equal(
            $"{Dir("plan")}/cloudtrail.yaml:9:5: error PE8002: cloudtrail:DescribeTrails is already collected with scope 'management-region' at " +
            $"{Shipped("cloudtrail", "DescribeTrails")}, which overlaps scope 'account-region' here: both would call it in the same account and region " +
            "with the same parameters, so the evidence would be ambiguous. Merge the two entries into one (a forEach may list several sources), give them " +
            "scopes that do not overlap (e.g. 'account' and 'account-region', or two different roles), or tell them apart with a fixed parameter of " +
            "different values (as wafv2 ListWebACLs does with Scope).\n",
            result.StandardError);
    }

    [Fact]
    public void Different_fixed_parameters_or_regionality_keep_two_entries_apart()
    {
        Write("plan/cloudtrail.yaml", "service: cloudtrail\nprotocol: json\nmodel: cloudtrail/2013-11-01\njsonVersion: \"1.1\"\ntargetPrefix: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101\n" +
                                      "endpointPrefix: cloudtrail\nsigningName: cloudtrail\noperations:\n  - operation: DescribeTrails\n    scope: account-region\n" +
                                      "    parameters: { includeShadowTrails: false }\n  - operation: DescribeTrails\n    scope: account\n");
        var result = CliRunner.Run("validate", "--collectors", "collectors", Dir("plan"));
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    [Fact]
    public void A_service_defined_twice_with_different_settings_is_a_located_plan_error()
    {
        Write("plan/kms.yaml", "# keys\n" + KmsSettings.Replace("TrentService", "Trent", StringComparison.Ordinal) + "operations:\n  - operation: ListKeys\n    scope: account-region\n");
        var result = CliRunner.Run("validate", "--collectors", "collectors", Dir("plan"));
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(
            $"{Dir("plan")}/kms.yaml:2:1: error PE8003: Service 'kms' is already defined in collectors/kms.yaml:",
            line, StringComparison.Ordinal);
        Assert.Contains("targetPrefix TrentService, endpointPrefix kms", line, StringComparison.Ordinal);
        Assert.Contains("targetPrefix Trent, endpointPrefix kms", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_plan_file_or_missing_directory_is_a_located_plan_error()
    {
        Write("plan/broken.yaml", "service: kms\noperations: [\n");
        var broken = CliRunner.Run("validate", "--collectors", Dir("plan"));
        Assert.Equal(2, broken.ExitCode);
        Assert.StartsWith($"{Dir("plan")}/broken.yaml:3:1: error PE8001: The plan file is not valid: ", broken.StandardError, StringComparison.Ordinal);

        var missing = CliRunner.Run("validate", "--collectors", Dir("nowhere"));
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith($"{Dir("nowhere")}: error PE8001: Cannot read the collection plan directory: ", missing.StandardError, StringComparison.Ordinal);
        Assert.EndsWith(" Check the --collectors argument.\n", missing.StandardError, StringComparison.Ordinal);
    }
}
