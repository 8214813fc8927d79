using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Yaml;

namespace PolicyEngine.Core.Tests.Schemas;

/// <summary>
/// schemas/rule.schema.json accepts every shipped rule (policies/aws-sra/**/*.yaml, test files excluded), and
/// rejects rules the binder rejects. YAML is converted to JSON with the engine's own YAML 1.2 core-schema converter.
/// </summary>
public sealed class RuleSchemaTests
{
    private const string SchemaComment = "# yaml-language-server: $schema=../../../schemas/rule.schema.json";
    private static readonly Lazy<Json.Schema.JsonSchema> Schema = new(() => SchemaTestSupport.Load("rule.schema.json"));
    private static readonly Lazy<Json.Schema.JsonSchema> ConfigSchema = new(() => SchemaTestSupport.Load("policy-config.schema.json"));

    public static TheoryData<string> ShippedRules()
    {
        var root = Path.Combine(SchemaTestSupport.RepositoryRoot, "policies", "aws-sra");
        return new TheoryData<string>(Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal))
            .Select(SchemaTestSupport.Relative)
            .Order(StringComparer.Ordinal));
    }

    private static JsonElement ToJson(string yaml, string file)
    {
        var diagnostics = new List<Diagnostic>();
        var root = SafeYamlReader.Read(yaml, file, diagnostics);
        Assert.True(root is not null && diagnostics.Count == 0, $"{file} is not readable YAML: {string.Join("; ", diagnostics)}");
        return YamlValues.ToJson(root!);
    }

    [Fact]
    public void There_are_shipped_rules()
    {
        Assert.True(ShippedRules().Count >= 100, "expected the SRA pack under policies/aws-sra");
    }

    [Theory]
    [MemberData(nameof(ShippedRules))]
    public void Shipped_rule_is_valid(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(SchemaTestSupport.RepositoryRoot, relativePath));
        var errors = SchemaTestSupport.Errors(Schema.Value, ToJson(text, relativePath));
        Assert.True(errors.Length == 0, $"{relativePath} does not match schemas/rule.schema.json:\n{errors}");
    }

    [Theory]
    [MemberData(nameof(ShippedRules))]
    public void Shipped_rule_names_the_schema(string relativePath)
    {
        var first = File.ReadLines(Path.Combine(SchemaTestSupport.RepositoryRoot, relativePath)).FirstOrDefault();
        Assert.Equal(SchemaComment, first);
    }

    private const string Valid = """
        id: TEST-SCHEMA-01
        title: Every key the binder knows
        message: "{rule}: {account} ({accountName}, {ouPath}) in {region}: {resource} - {detail}"
        category: Test
        severity: low
        enabledByDefault: false
        description: d
        remediation: r
        helpUri: https://example.com/help
        references: { sraVerify: SRA-TEST-01, sraExamples: test/test_org, links: [https://example.com] }
        extension: true
        differsFromSraVerify: x
        tags: [a, b]
        target: account-region
        scope: { roles: [securityTooling, logArchive], regions: us-east-1 }
        inputs:
          detectors: guardduty:ListDetectors
          admins:
            operation: guardduty:ListOrganizationAdminAccounts
            account: management
            region: subject
            required: false
            errors: { BadRequestException: notApplicable, AccessDeniedException: insufficientData }
          detector:
            operation: guardduty:GetDetector
            account: 111111111111
            parameters: { DetectorId: { path: "$" }, Literal: "x", Flag: false }
        forEach: { input: detectors, path: "$.DetectorIds[*]", id: "$", ifEmpty: fail, ifEmptyMessage: none }
        where:
          - { input: account, path: "$.State", equals: ACTIVE }
        assert:
          - all:
              - { input: detector, path: "$.Status", in: [ENABLED] }
              - { input: detector, path: "$.Tags", equals: { a: b } }
            message: m
          - any:
              - { input: admins, path: "$.AdminAccounts[*].AdminAccountId", quantifier: any, in: { role: securityTooling } }
              - { input: admins, path: "$.AdminAccounts[*].AdminAccountId", notEquals: { subjectAccount: true } }
          - not: { input: detector, path: "$.X", exists: true }
          - { input: detector, path: "$.Y", notEmpty: true }
          - { input: detector, path: "$.Y", matches: "[a-z]+" }
          - { input: detector, path: "$.Y[*]", count: { min: 1, max: 3 } }
          - { input: detector, path: "$.Y[*]", count: 2 }
          - { input: detector, path: "$.N", greaterThan: 1 }
          - { input: detector, path: "$.N", greaterOrEqual: 1.5 }
          - { input: detector, path: "$.N", lessThan: -1 }
          - { input: detector, path: "$.N", lessOrEqual: 10 }
          - { input: detector, path: "$.UpdatedAt", maxAgeHours: 24 }
          - { input: detector, path: "$.A", notIn: { input: admins, path: "$.B[*]" } }
          - { input: detector, path: "$.A", equals: { value: { path: literal } } }
          - { input: detector, path: "$.A", in: { roles: [network, sharedServices] } }
        """;

    [Fact]
    public void Kitchen_sink_rule_is_accepted_by_schema_and_binder()
    {
        Assert.Equal(string.Empty, SchemaTestSupport.Errors(Schema.Value, ToJson(Valid, "valid.yaml")));
        Assert.Empty(Compile(Valid).Select(d => d.ToString()));
    }

    [Fact]
    public void Predicate_rule_is_accepted_by_schema_and_binder()
    {
        const string rule = """
            id: TEST-SCHEMA-02
            title: t
            message: m
            category: Test
            severity: critical
            target: evidence
            operation: guardduty:ListDetectors
            predicate: |
              return { pass: (ctx.subject.DetectorIds || []).length > 0 };
            """;
        Assert.Equal(string.Empty, SchemaTestSupport.Errors(Schema.Value, ToJson(rule, "predicate.yaml")));
        Assert.Empty(Compile(rule).Select(d => d.ToString()));
    }

    private const string Header = """
        id: TEST-SCHEMA-03
        title: t
        message: m
        category: Test
        severity: high

        """;

    /// <summary>Each case breaks the format in a way the binder reports as an error; the schema must reject it too.</summary>
    public static TheoryData<string, string> Broken() => new()
    {
        { "unknown top-level key", Header + "target: account\nassert: { input: account, path: $.Id, exists: true }\ncolour: red\n" },
        { "no assert and no predicate", Header + "target: account\n" },
        { "both assert and predicate", Header + "target: account\nassert: { input: account, path: $.Id, exists: true }\npredicate: return true;\n" },
        { "unknown target", Header + "target: accounts\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "resource target without resourceType", Header + "target: resource\nassert: { path: $.resourceId, exists: true }\n" },
        { "resourceType on an account target", Header + "target: account\nresourceType: AWS::S3::Bucket\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "evidence target without operation", Header + "target: evidence\nassert: { path: $.DetectorIds, exists: true }\n" },
        { "operation on an account target", Header + "target: account\noperation: guardduty:ListDetectors\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "condition with two tests", Header + "target: account\nassert: { input: account, path: $.Id, exists: true, notEmpty: true }\n" },
        { "condition without a test", Header + "target: account\nassert: { input: account, path: $.Id }\n" },
        { "condition without a path", Header + "target: account\nassert: { input: account, exists: true }\n" },
        { "notEmpty false", Header + "target: account\nassert: { input: account, path: $.Id, notEmpty: false }\n" },
        { "quoted boolean", Header + "target: account\nassert: { input: account, path: $.Id, exists: \"true\" }\n" },
        { "unknown quantifier", Header + "target: account\nassert: { input: account, path: $.Id, quantifier: some, exists: true }\n" },
        { "in with a scalar", Header + "target: account\nassert: { input: account, path: $.Id, in: ACTIVE }\n" },
        { "unknown role in a value source", Header + "target: account\nassert: { input: account, path: $.Id, in: { role: audit } }\n" },
        { "value source path without input", Header + "target: account\nassert: { input: account, path: $.Id, in: { path: $.X } }\n" },
        { "count with unknown key", Header + "target: account\nassert: { input: account, path: $.Id, count: { least: 1 } }\n" },
        { "empty all", Header + "target: account\nassert: { all: [] }\n" },
        { "unknown severity", "id: TEST-SCHEMA-04\ntitle: t\nmessage: m\ncategory: Test\nseverity: severe\ntarget: account\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "bad rule id", "id: test-schema-5\ntitle: t\nmessage: m\ncategory: Test\nseverity: low\ntarget: account\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "unknown placeholder", "id: TEST-SCHEMA-06\ntitle: t\nmessage: \"{acount} fails\"\ncategory: Test\nseverity: low\ntarget: account\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "http helpUri", Header + "helpUri: http://example.com\ntarget: account\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "unknown scope role", Header + "target: account\nscope: { roles: [audit] }\nassert: { input: account, path: $.Id, exists: true }\n" },
        { "built-in input name", Header + "target: account\ninputs: { account: guardduty:ListDetectors }\nassert: { path: $.Id, exists: true }\n" },
        { "input name not camelCase", Header + "target: account\ninputs: { Detectors: guardduty:ListDetectors }\nassert: { path: $.Id, exists: true }\n" },
        { "operation without service", Header + "target: account\ninputs: { detectors: ListDetectors }\nassert: { path: $.Id, exists: true }\n" },
        { "unknown input key", Header + "target: account\ninputs: { detectors: { operation: guardduty:ListDetectors, optional: true } }\nassert: { path: $.Id, exists: true }\n" },
        { "input account word", Header + "target: account\ninputs: { detectors: { operation: guardduty:ListDetectors, account: audit } }\nassert: { path: $.Id, exists: true }\n" },
        { "error mapped to error", Header + "target: account\ninputs: { detectors: { operation: guardduty:ListDetectors, errors: { AccessDenied: error } } }\nassert: { path: $.Id, exists: true }\n" },
        { "parameter as a list", Header + "target: account\ninputs: { detectors: { operation: guardduty:ListDetectors, parameters: { Ids: [a, b] } } }\nassert: { path: $.Id, exists: true }\n" },
        { "forEach without path", Header + "target: account\nforEach: { input: account }\nassert: { path: $.Id, exists: true }\n" },
        { "forEach ifEmpty error", Header + "target: account\nforEach: { input: account, path: $.Id, ifEmpty: error }\nassert: { path: $, exists: true }\n" },
        { "selector without $", Header + "target: account\nassert: { input: account, path: Id, exists: true }\n" },
        { "predicate not a string", Header + "target: account\npredicate: { pass: true }\n" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_rule_is_rejected_by_schema_and_binder(string name, string yaml)
    {
        Assert.True(SchemaTestSupport.Errors(Schema.Value, ToJson(yaml, name + ".yaml")).Length > 0, $"the schema accepts a rule with {name}");
        Assert.Contains(Compile(yaml), d => d.Severity == DiagnosticSeverity.Error);
    }

    private static IReadOnlyList<Diagnostic> Compile(string yaml) =>
        new RuleCompiler(OperationCatalog.Open).Compile([new RuleSource("test.yaml", "test.yaml", yaml)]).Diagnostics;

    [Fact]
    public void Policy_configuration_example_is_valid_and_loads()
    {
        const string yaml = """
            rules:
              SRA-GUARDDUTY-01: { severity: critical }
              SRA-SHIELD-01: { enabled: false }
            categories:
              GuardDuty: { severity: high, enabled: true }
              S3:
                scopes:
                  - { ous: Root/Workloads/Prod, severity: critical }
                  - { accounts: ["444444444444"], regions: [eu-west-1, us-east-1], severity: low }
            suppressions:
              - rule: SRA-GUARDDUTY-01
                accounts: [444444444444]
                regions: ap-south-1
                justification: Sandbox account, closed next quarter.
                expires: 2027-03-31
              - rule: SRA-S3-01
                ous: [Root/Sandbox, Root/Workloads/Dev/]
                accountTags: { environment: [dev, test], cost-center: 1234, retired: "" }
                resources: ["arn:aws:s3:::scratch-*", "arn:aws:s3:::tmp-??"]
                owner: platform-team@example.com
                justification: Scratch buckets in development accounts hold no data.
            """;
        Assert.Equal(string.Empty, SchemaTestSupport.Errors(ConfigSchema.Value, ToJson(yaml, "config.yaml")));
        var diagnostics = new List<Diagnostic>();
        Assert.NotNull(Configuration.PolicyConfig.Parse(yaml, "config.yaml", diagnostics));
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("suppressions:\n  - rule: SRA-GUARDDUTY-01\n")]
    [InlineData("suppressions:\n  - rule: SRA-GUARDDUTY-01\n    justification: \"  \"\n")]
    [InlineData("suppressions:\n  - rule: SRA-GUARDDUTY-01\n    justification: x\n    expires: 31/03/2027\n")]
    [InlineData("rules:\n  SRA-GUARDDUTY-01: { severity: severe }\n")]
    [InlineData("rules:\n  SRA-GUARDDUTY-01: { enable: false }\n")]
    [InlineData("suppression: []\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    resources: \"arn:aws:s3:::logs-[0-9]\"\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    resources: [\"\"]\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    ous: Root/*/Prod\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    ous: [/Root]\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    owner: { team: a }\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    accountTags: { environment: }\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    accountTags: { environment: [] }\n    justification: x\n")]
    [InlineData("suppressions:\n  - rule: SRA-S3-01\n    accountTags: [environment]\n    justification: x\n")]
    [InlineData("rules:\n  SRA-S3-01:\n    scopes: [{ severity: low }]\n")]
    [InlineData("rules:\n  SRA-S3-01:\n    scopes: [{ ous: Root/Prod }]\n")]
    [InlineData("rules:\n  SRA-S3-01:\n    scopes: [{ ou: Root/Prod, severity: low }]\n")]
    [InlineData("rules:\n  SRA-S3-01:\n    scopes: { ous: Root/Prod, severity: low }\n")]
    public void Broken_policy_configuration_is_rejected_by_schema_and_parser(string yaml)
    {
        Assert.True(SchemaTestSupport.Errors(ConfigSchema.Value, ToJson(yaml, "config.yaml")).Length > 0, "the schema accepts:\n" + yaml);
        var diagnostics = new List<Diagnostic>();
        Assert.Null(Configuration.PolicyConfig.Parse(yaml, "config.yaml", diagnostics));
    }
}
