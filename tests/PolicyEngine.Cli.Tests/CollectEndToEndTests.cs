using System.Text;
using System.Text.Json;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Tests.Fakes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// <c>collect</c> against the fake AWS endpoint on 127.0.0.1, then <c>evaluate</c> of the snapshot with the shipped SRA
/// pack. Credentials are obviously fake, reach the CLI only through this process's environment
/// (<c>--credentials-from-env</c>), and are restored afterwards.
/// </summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class CollectEndToEndTests : IDisposable
{
    private const string GuardDutyDenied = "100000000004";
    private const string RoleDenied = "100000000005";
    private static readonly string[] Variables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-collect-");
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
    public void Collect_then_evaluate_gives_insufficient_data_never_pass_for_denied_evidence_and_leaks_no_credential()
    {
        var org = FakeOrganization.Create(6, ["us-east-1", "eu-west-1"]);
        org.DenyService.Add((GuardDutyDenied, "guardduty"));
        org.DenyAssumeRole.Add(RoleDenied);
        using var server = new FakeAwsServer(org, CollectionPlan.Load(Path.Combine(AppContext.BaseDirectory, "collectors")));
        Assert.True(server.BaseUri.IsLoopback);

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", FakeOrganization.BaseAccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", FakeOrganization.BaseSecretKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        var snapshotPath = Path.Combine(_dir.FullName, "snapshot.json");
        var collect = CliRunner.Run("collect", "--endpoint-url", server.BaseUri.ToString(), "--credentials-from-env",
            "--regions", "us-east-1,eu-west-1", "--security-tooling-account", FakeOrganization.AuditAccount,
            "--log-archive-account", FakeOrganization.LogArchiveAccount, "--concurrency", "8", "--output", snapshotPath);
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, _saved[name]);
        }

        Assert.True(collect.ExitCode == 0, collect.StandardError);
        Assert.Equal(0, server.SignatureFailures);
        Assert.StartsWith("Wrote ", collect.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Accounts with errors: {RoleDenied}.", collect.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["snapshot.json"], _dir.GetFiles().Select(f => f.Name));

        // The snapshot loads with no diagnostic at all.
        var diagnostics = new List<Diagnostic>();
        using (var snapshot = SnapshotLoader.LoadFile(snapshotPath, diagnostics))
        {
            Assert.NotNull(snapshot);
            Assert.Empty(diagnostics);
        }

        var evaluate = CliRunner.Run("evaluate", snapshotPath, "--format", "json", "--include-passing", "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Equal(string.Empty, evaluate.StandardError);
        using var report = JsonDocument.Parse(evaluate.StandardOutput);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => (
            Rule: f.GetProperty("ruleId").GetString()!,
            Outcome: f.GetProperty("outcome").GetString()!,
            Account: f.GetProperty("subject").TryGetProperty("account", out var a) ? a.GetString() : null,
            Message: f.GetProperty("message").GetString()!)).ToList();
        Assert.NotEmpty(findings);
        Assert.DoesNotContain(findings, f => f.Outcome == "error");
        Assert.Contains(findings, f => f.Outcome == "pass"); // the fake answered most calls: this is not an all-missing evaluation

        // API Gateway sends its REST APIs under the wire name `item` over two pages; recorded as `items` (the SDK name),
        // every API reaches SRA-WAF-03: one with a web ACL on its stage, one with a stage without, one without stages.
        var waf03 = report.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString() == "SRA-WAF-03" && f.GetProperty("subject").GetProperty("account").GetString() == FakeOrganization.NetworkAccount)
            .Select(f => $"{f.GetProperty("subject").GetProperty("region").GetString()} {f.GetProperty("subject").GetProperty("resource").GetString()} {f.GetProperty("outcome").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "eu-west-1 a1api00001 pass", "eu-west-1 a2api00002 fail", "eu-west-1 a3api00003 fail",
            "us-east-1 a1api00001 pass", "us-east-1 a2api00002 fail", "us-east-1 a3api00003 fail",
        ], waf03);

        // The fake denied GuardDuty in one account and every call in the account whose role it refused: those records
        // are errors in the snapshot, with no ok record beside them.
        using var collected = JsonDocument.Parse(File.ReadAllBytes(snapshotPath));
        var evidence = collected.RootElement.GetProperty("evidence").EnumerateArray().ToArray();
        bool Of(JsonElement e, string account, string? service = null) =>
            e.GetProperty("account").GetString() == account && (service is null || e.GetProperty("service").GetString() == service);
        Assert.Contains(evidence, e => Of(e, GuardDutyDenied, "guardduty") && e.GetProperty("status").GetString() == "error");
        Assert.DoesNotContain(evidence, e => Of(e, GuardDutyDenied, "guardduty") && e.GetProperty("status").GetString() == "ok");
        Assert.DoesNotContain(evidence, e => Of(e, RoleDenied) && e.GetProperty("status").GetString() == "ok");

        // Every finding that reports on that denied evidence is InsufficientData, never Pass.
        var onDenied = findings.Where(f => f.Message.Contains($"@ {RoleDenied}/", StringComparison.Ordinal)
            || (f.Message.Contains("guardduty:", StringComparison.Ordinal) && f.Message.Contains($"@ {GuardDutyDenied}/", StringComparison.Ordinal))).ToList();
        Assert.Contains(onDenied, f => f.Account == GuardDutyDenied && f.Rule.StartsWith("SRA-GUARDDUTY-", StringComparison.Ordinal));
        Assert.Contains(onDenied, f => f.Account == RoleDenied);
        Assert.All(onDenied, f => Assert.True(f.Outcome == "insufficientData", $"{f.Rule} {f.Account}: {f.Outcome}: {f.Message}"));
        // And no GuardDuty rule passes for the account that denied GuardDuty.
        Assert.DoesNotContain(findings, f => f.Account == GuardDutyDenied && f.Rule.StartsWith("SRA-GUARDDUTY-", StringComparison.Ordinal) && f.Outcome == "pass");

        // No credential, base or issued by the fake's AssumeRole, appears in the snapshot or in any CLI output.
        var snapshotText = Encoding.UTF8.GetString(File.ReadAllBytes(snapshotPath));
        string[] secrets = [FakeOrganization.BaseAccessKey, FakeOrganization.BaseSecretKey, .. server.IssuedSecrets];
        Assert.True(secrets.Length > 2, "the fake issued no role credentials");
        foreach (var secret in secrets)
        {
            foreach (var text in new[] { snapshotText, collect.StandardOutput, collect.StandardError, evaluate.StandardOutput })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_standalone_account_is_collected_and_evaluated_as_the_one_account_and_organizations_01_fails()
    {
        var org = new FakeOrganization { Regions = ["us-east-1"], Standalone = true };
        org.Accounts.Add(new FakeAccount(FakeOrganization.ManagementAccount, "Solo", "r-fak1", "ACTIVE", ["us-east-1"]));
        using var server = new FakeAwsServer(org, CollectionPlan.Load(Path.Combine(AppContext.BaseDirectory, "collectors")));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", FakeOrganization.BaseAccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", FakeOrganization.BaseSecretKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        var snapshotPath = Path.Combine(_dir.FullName, "standalone.json");
        var collect = CliRunner.Run("collect", "--endpoint-url", server.BaseUri.ToString(), "--credentials-from-env", "--regions", "us-east-1", "--output", snapshotPath);
        Assert.True(collect.ExitCode == 0, collect.StandardError);

        var evaluate = CliRunner.Run("evaluate", snapshotPath, "--format", "json", "--include-passing", "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        using var report = JsonDocument.Parse(evaluate.StandardOutput);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => (
            Rule: f.GetProperty("ruleId").GetString()!, Outcome: f.GetProperty("outcome").GetString()!,
            Account: f.GetProperty("subject").TryGetProperty("account", out var a) ? a.GetString() : null)).ToList();
        Assert.Equal(("fail", FakeOrganization.ManagementAccount), findings.Where(f => f.Rule == "SRA-ORGANIZATIONS-01").Select(f => (f.Outcome, f.Account)).Single());
        // The account is a subject: its own evidence decides (GuardDuty is enabled in the fake), not a missing organization.
        Assert.Contains(findings, f => f.Rule.StartsWith("SRA-GUARDDUTY-", StringComparison.Ordinal) && f.Outcome == "pass" && f.Account == FakeOrganization.ManagementAccount);
    }

    private static void UseCredentials(string accessKey)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", accessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", FakeOrganization.BaseSecretKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
    }

    private static CliRunner.Result Collect(FakeAwsServer server, string output, params string[] more) =>
        CliRunner.Run([
            "collect", "--endpoint-url", server.BaseUri.ToString(), "--credentials-from-env", "--regions", "us-east-1", "--concurrency", "8", "--output", output, .. more,
        ]);

    [Fact]
    public void Unrecognised_credentials_stop_with_one_line_exit_code_4_and_no_snapshot()
    {
        using var server = new FakeAwsServer(FakeOrganization.Create(3, ["us-east-1"]), CollectionPlan.Load(Path.Combine(AppContext.BaseDirectory, "collectors")));
        UseCredentials("AKIDUNKNOWNKEY000001");
        var result = Collect(server, Path.Combine(_dir.FullName, "snapshot.json"));
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("error PE8020: cannot read the caller's identity: sts:GetCallerIdentity failed with UnrecognizedClientException: The security token included in the request is invalid. " +
                     "Check the credentials (profile, AWS_* variables, SSO session, expiry) and network access to the STS endpoint; no snapshot was written.\n", result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Empty(_dir.GetFileSystemInfos());
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void An_organization_that_cannot_be_read_stops_with_one_line_exit_code_4_and_no_snapshot()
    {
        var org = FakeOrganization.Create(3, ["us-east-1"]);
        org.DenyService.Add((FakeOrganization.ManagementAccount, "organizations"));
        using var server = new FakeAwsServer(org, CollectionPlan.Load(Path.Combine(AppContext.BaseDirectory, "collectors")));
        UseCredentials(FakeOrganization.BaseAccessKey);
        var result = Collect(server, Path.Combine(_dir.FullName, "snapshot.json"));
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("error PE8021: cannot read the organization: organizations:DescribeOrganization failed with AccessDeniedException: User is not authorized to perform: " +
                     "organizations:DescribeOrganization. Collect with the management account's or an Organizations delegated administrator's credentials, or pass " +
                     "--management-account to collect the caller's account alone; no snapshot was written.\n", result.StandardError);
        Assert.Empty(_dir.GetFileSystemInfos());
    }

    [Fact]
    public void Too_many_failed_calls_exit_5_and_leave_the_good_snapshot_unchanged_with_the_partial_one_beside_it()
    {
        var plan = CollectionPlan.Load(Path.Combine(AppContext.BaseDirectory, "collectors"));
        var snapshotPath = Path.Combine(_dir.FullName, "snapshot.json");
        UseCredentials(FakeOrganization.BaseAccessKey);
        using (var server = new FakeAwsServer(FakeOrganization.Create(3, ["us-east-1"]), plan))
        {
            var good = Collect(server, snapshotPath);
            Assert.True(good.ExitCode == 0, good.StandardError);
        }

        var goodBytes = File.ReadAllBytes(snapshotPath);
        var org = FakeOrganization.Create(3, ["us-east-1"]);
        org.DenyAssumeRole.Add(FakeOrganization.AuditAccount);
        org.DenyAssumeRole.Add(FakeOrganization.LogArchiveAccount);
        org.DenyService.Add((FakeOrganization.ManagementAccount, "guardduty"));
        using var failing = new FakeAwsServer(org, plan);
        var result = Collect(failing, snapshotPath);
        Assert.Equal(5, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"error PE8022: 133 of 190 calls failed (70.0%), above --max-error-rate 0.2; the partial snapshot is {snapshotPath}.partial and {snapshotPath} was left as it was. " +
                     "Check network access, throttling and the member role's permissions, then collect again (or pass --allow-partial to write it to the target).", lines[^1]);
        // Debug lines (one per failed call) only with --verbose.
        Assert.DoesNotContain(lines, l => l.StartsWith("debug:", StringComparison.Ordinal));
        Assert.Equal(goodBytes, File.ReadAllBytes(snapshotPath));
        Assert.Equal(["snapshot.json", "snapshot.json.partial"], _dir.GetFileSystemInfos().Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.StartsWith($"Wrote {snapshotPath}.partial: ", result.StandardOutput, StringComparison.Ordinal);

        var verbose = Collect(failing, snapshotPath, "--verbose");
        Assert.Equal(5, verbose.ExitCode);
        Assert.Contains("debug: guardduty:ListDetectors in 100000000000/us-east-1: AccessDeniedException\n", verbose.StandardError, StringComparison.Ordinal);

        var allowed = Collect(failing, snapshotPath, "--allow-partial");
        Assert.Equal(5, allowed.ExitCode);
        Assert.EndsWith($"; --allow-partial wrote the partial snapshot to {snapshotPath}. Check network access, throttling and the member role's permissions, then collect again.\n",
            allowed.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(goodBytes, File.ReadAllBytes(snapshotPath));

        var accepted = Collect(failing, snapshotPath, "--max-error-rate", "1");
        Assert.True(accepted.ExitCode == 0, accepted.StandardError);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("NaN")]
    public void Max_error_rate_outside_0_to_1_is_a_usage_error(string value)
    {
        var result = CliRunner.Run("collect", "--endpoint-url", "http://127.0.0.1:9/", "--max-error-rate", value, "--output", Path.Combine(_dir.FullName, "s.json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: --max-error-rate must be a number between 0 and 1, not {value}.\n", result.StandardError);
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void Management_account_must_be_an_account_id()
    {
        var result = CliRunner.Run("collect", "--endpoint-url", "http://127.0.0.1:9/", "--management-account", "12345", "--output", Path.Combine(_dir.FullName, "s.json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: --management-account must be a 12-digit account id, not '12345'.\n", result.StandardError);
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void Credentials_from_env_without_the_variables_is_a_usage_error()
    {
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        var result = CliRunner.Run("collect", "--endpoint-url", "http://127.0.0.1:9/", "--credentials-from-env", "--output", Path.Combine(_dir.FullName, "s.json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: --credentials-from-env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.\n", result.StandardError);
        Assert.Empty(_dir.GetFiles());
    }
}

/// <summary>Tests that change this process's environment variables do not run in parallel with each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentTests
{
    public const string Name = "process environment";
}
