using System.Text.Json;

namespace PolicyEngine.Scripting.Tests;

/// <summary>What <c>ctx</c> exposes, and how missing evidence turns into InsufficientData.</summary>
public class ContextTests
{
    private static TestContext Context() => new("""{"DetectorIds":["d-1"],"Count":3,"Flag":true,"Nothing":null,"Nested":{"Name":"n"}}""")
    {
        Organization = TestContext.Parse("""{"Id":"o-1","MasterAccountId":"000000000000"}"""),
        AccountRoles = TestContext.Parse("""{"management":"000000000000","securityTooling":"111111111111"}"""),
        Inputs = new Dictionary<string, EvidenceView>
        {
            ["detectors"] = TestContext.Ok("guardduty:ListDetectors/111111111111/eu-west-1", """{"DetectorIds":["d-1"]}"""),
            ["trails"] = new(EvidenceStatus.Error, null, "AccessDenied", "not authorized", "cloudtrail:DescribeTrails/111111111111/eu-west-1"),
            ["config"] = new(EvidenceStatus.NotCollected, null, null, null, "config:DescribeConfigurationRecorders/111111111111/eu-west-1"),
        },
    };

    [Fact]
    public void Subject_values_map_to_javascript_types()
    {
        Sandbox.AssertPass(Sandbox.Run(
            "const s = ctx.subject; return Array.isArray(s.DetectorIds) && s.DetectorIds[0] === 'd-1' && s.Count === 3 && s.Flag === true && s.Nothing === null && s.Missing === undefined && s.Nested.Name === 'n' && s.Nested === s.Nested;",
            Context()));
    }

    [Fact]
    public void Subject_supports_ordinary_javascript()
    {
        Sandbox.AssertPass(Sandbox.Run(
            "const s = ctx.subject; return Object.keys(s).join() === 'DetectorIds,Count,Flag,Nothing,Nested' && JSON.stringify(s.Nested) === '{\"Name\":\"n\"}' && s.DetectorIds.map(x => x.toUpperCase())[0] === 'D-1' && 'Count' in s && !('Other' in s) && { ...s }.Count === 3;",
            Context()));
    }

    [Fact]
    public void Account_region_roles_organization()
    {
        Sandbox.AssertPass(Sandbox.Run(
            "return ctx.account === '111111111111' && ctx.region === 'eu-west-1' && ctx.roles.includes('securityTooling') && ctx.organization.MasterAccountId === ctx.accountRoles.management;",
            Context()));
    }

    [Fact]
    public void Governed_regions_are_a_frozen_array()
    {
        var context = new TestContext { GovernedRegions = ["us-east-1", "eu-west-1"] };
        Sandbox.AssertPass(Sandbox.Run(
            "return Array.isArray(ctx.governedRegions) && Object.isFrozen(ctx.governedRegions) && ctx.governedRegions.join(',') === 'us-east-1,eu-west-1';",
            context));
        Sandbox.AssertPass(Sandbox.Run("return ctx.governedRegions.length === 0;", new TestContext()));
    }

    [Fact]
    public void Active_accounts_are_a_frozen_array_or_null_when_not_collected()
    {
        var context = new TestContext { ActiveAccountIds = ["111111111111", "222222222222"] };
        Sandbox.AssertPass(Sandbox.Run(
            "return Array.isArray(ctx.activeAccounts) && Object.isFrozen(ctx.activeAccounts) && ctx.activeAccounts.join(',') === '111111111111,222222222222' && ctx.activeAccounts.indexOf('222222222222') === 1;",
            context));
        Sandbox.AssertPass(Sandbox.Run("return ctx.activeAccounts === null;", new TestContext()));
    }

    [Fact]
    public void Missing_organization_is_null()
    {
        Sandbox.AssertPass(Sandbox.Run("return ctx.organization === null && ctx.accountRoles === null;", new TestContext()));
    }

    [Fact]
    public void Ok_input_is_its_response()
    {
        Sandbox.AssertPass(Sandbox.Run("return ctx.inputs.detectors.DetectorIds.length === 1;", Context()));
    }

    [Fact]
    public void Failed_input_gives_insufficient_data()
    {
        Assert.Equal(
            new PredicateResult(PredicateOutcome.InsufficientData, "evidence 'cloudtrail:DescribeTrails/111111111111/eu-west-1' is error: AccessDenied not authorized", null, null),
            Sandbox.Run("return ctx.inputs.trails.trailList.length > 0;", Context()));
    }

    [Fact]
    public void Uncollected_input_gives_insufficient_data_even_when_the_script_catches()
    {
        Assert.Equal(
            new PredicateResult(PredicateOutcome.InsufficientData, "evidence 'config:DescribeConfigurationRecorders/111111111111/eu-west-1' is not collected", null, null),
            Sandbox.Run("try { return ctx.inputs.config === null; } catch (e) { return true; } finally { return true; }", Context()));
    }

    [Fact]
    public void Asking_which_inputs_exist_does_not_abort()
    {
        Sandbox.AssertPass(Sandbox.Run("return 'trails' in ctx.inputs && Object.keys(ctx.inputs).join() === 'config,detectors,trails' && ctx.inputs.unknown === undefined;", Context()));
    }

    [Fact]
    public void Evidence_for_another_account_and_region()
    {
        var context = Context();
        context.EvidenceByKey["detectors/222222222222/us-east-1?Filter=x"] = TestContext.Ok("k", """{"DetectorIds":[]}""");
        Sandbox.AssertPass(Sandbox.Run(
            "return ctx.evidence('detectors', { account: '222222222222', region: 'us-east-1', parameters: { Filter: 'x' } }).DetectorIds.length === 0;",
            context));
        Assert.Equal(["detectors/222222222222/us-east-1?Filter=x"], context.EvidenceCalls);
    }

    [Fact]
    public void Evidence_leaves_unset_account_and_region_to_the_input_declaration()
    {
        // The host resolves null to where the rule declared the input (e.g. account: management), not to the subject.
        var context = Context();
        var result = Sandbox.Run("return ctx.evidence('detectors').DetectorIds.length > 0;", context);
        Assert.Equal(new PredicateResult(PredicateOutcome.InsufficientData, "evidence 'detectors//' is missing", null, null), result);
        Assert.Equal("detectors//", context.EvidenceCalls.Single());
    }

    [Fact]
    public void Try_evidence_reports_status_without_aborting()
    {
        Sandbox.AssertPass(Sandbox.Run(
            "const e = ctx.tryEvidence('detectors', { region: 'ap-south-1' }); return e.status === 'missing' && e.response === null && e.key === 'detectors//ap-south-1';",
            Context()));
    }

    [Fact]
    public void Evidence_arguments_are_type_checked()
    {
        Sandbox.AssertError(Sandbox.Run("return ctx.evidence(42);", Context()), "PE3101",
            "predicate threw TypeError: ctx.evidence: the first argument must be an input name (string) (line 1, column 1)");
    }

    [Fact]
    public void Resources_support_cross_resource_checks()
    {
        var context = Context();
        context.ResourcesByType["AWS::S3::Bucket"] =
        [
            TestContext.Parse("""{"resourceName":"logs","configuration":{"versioning":"Enabled"}}"""),
            TestContext.Parse("""{"resourceName":"data","configuration":{"versioning":"Suspended"}}"""),
        ];
        Assert.Equal(
            new PredicateResult(PredicateOutcome.Fail, "unversioned: data", null, null),
            Sandbox.Run(
                "const bad = ctx.resources('AWS::S3::Bucket').filter(b => b.configuration.versioning !== 'Enabled'); return { pass: bad.length === 0, message: 'unversioned: ' + bad.map(b => b.resourceName).join() };",
                context));
        Sandbox.AssertPass(Sandbox.Run("return ctx.resources('AWS::EC2::VPC').length === 0;", context));
    }

    [Fact]
    public void Abort_leaves_the_engine_usable()
    {
        var runner = new PredicateRunner(ScriptSandboxOptions.Default with { MaxRecursionDepth = 40 });
        var options = runner.Options;
        var abort = PredicateCompiler.Compile("function f(n) { return n === 0 ? ctx.inputs.trails : f(n - 1); } return f(30) !== null;", "a", options).Predicate!;
        var deep = PredicateCompiler.Compile("function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } return f(35) === 35;", "b", options).Predicate!;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(PredicateOutcome.InsufficientData, runner.Run(abort, Context()).Outcome);
            Sandbox.AssertPass(runner.Run(deep, Context()));
        }
    }

    [Fact]
    public void Runs_concurrently_on_many_threads()
    {
        var runner = new PredicateRunner(ScriptSandboxOptions.Default);
        var predicate = Sandbox.Compile("return ctx.subject.n % 2 === 0;");
        var results = new PredicateOutcome[2000];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = runner.Run(predicate, new TestContext($$"""{"n":{{i}}}""")).Outcome);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? PredicateOutcome.Pass : PredicateOutcome.Fail, results[i]);
        }
    }

    [Fact]
    public void Subject_json_is_not_copied_into_the_engine_beyond_what_is_read()
    {
        // A large subject whose members are never read is cheap: only DetectorIds materializes.
        var big = JsonSerializer.Serialize(new { DetectorIds = new[] { "d" }, Padding = Enumerable.Range(0, 10_000).Select(i => new { i }).ToArray() });
        var options = ScriptSandboxOptions.Default with { MemoryLimitBytes = 1024 * 1024 };
        Sandbox.AssertPass(Sandbox.Run("return ctx.subject.DetectorIds.length > 0;", new TestContext(big), options));
    }
}

/// <summary><c>ctx.query</c> runs RFC 9535 JSONPath through PolicyEngine.JsonPath.</summary>
public class QueryTests
{
    private static TestContext Context() => new("""{"Rules":[{"Port":22,"Cidr":"0.0.0.0/0"},{"Port":443,"Cidr":"10.0.0.0/8"}]}""");

    [Fact]
    public void Query_returns_values_with_normalized_paths()
    {
        Assert.Equal(
            new PredicateResult(PredicateOutcome.Fail, "open to the world", "$['Rules'][0]['Cidr']", null),
            Sandbox.Run(
                "const open = ctx.query(ctx.subject, \"$.Rules[?@.Cidr == '0.0.0.0/0'].Cidr\"); return { pass: open.length === 0, message: 'open to the world', path: open[0].path };",
                Context()));
    }

    [Fact]
    public void Query_over_script_built_values()
    {
        Sandbox.AssertPass(Sandbox.Run("const r = ctx.query({ a: [1, 2, 3] }, '$.a[1:]'); return r.length === 2 && r[0].value === 2 && r[1].path === \"$['a'][2]\";", Context()));
    }

    [Fact]
    public void Invalid_path_throws_a_catchable_type_error()
    {
        Sandbox.AssertError(Sandbox.Run("return ctx.query(ctx.subject, '$.Rules[').length === 0;", Context()), "PE3101",
            "predicate threw TypeError: ctx.query: invalid JSONPath '$.Rules[': " + GetParseError("$.Rules[") + " (line 1, column 1)");
        Sandbox.AssertPass(Sandbox.Run("try { ctx.query(ctx.subject, '$$'); return false; } catch (e) { return e instanceof TypeError; }", Context()));
    }

    private static string GetParseError(string path)
    {
        Assert.False(PolicyEngine.JsonPath.JsonPathQuery.TryParse(path, out _, out var error));
        return error.ToString();
    }
}
