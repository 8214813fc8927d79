using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Tests.Diagnostics;
using PolicyEngine.Scripting;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Rules;

public class RuleCompilerTests
{
    private const string Exists = "assert: { path: $.a, exists: true }\n";

    [Fact]
    [Covers(DiagnosticCodes.UnknownKey)]
    [Covers(DiagnosticCodes.InvalidSeverity)]
    [Covers(DiagnosticCodes.UnknownOperation)]
    [Covers(DiagnosticCodes.WrongType)]
    [Covers(DiagnosticCodes.InvalidSelector)]
    public void Five_mistakes_give_five_diagnostics_sorted_by_location()
    {
        const string file = "TestData/rules/five-mistakes.yaml";
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file));
        var compilation = new RuleCompiler(Catalog).Compile([new RuleSource(file, "five-mistakes.yaml", text)]);
        Assert.False(compilation.Success);
        Assert.Null(compilation.RuleSet);
        Assert.Equal(
            [
                "TestData/rules/five-mistakes.yaml:5:11: error PE1005: Severity 'hihg' is not one of informational, low, medium, high, critical. Did you mean 'high'?",
                "TestData/rules/five-mistakes.yaml:9:16: error PE1009: Operation 'guardduty:ListDetector' is not in the collection plan, so no snapshot can hold its evidence. Did you mean 'guardduty:ListDetectors'?",
                "TestData/rules/five-mistakes.yaml:10:15: error PE1002: 'required' must be true or false, but it is 'maybe'.",
                "TestData/rules/five-mistakes.yaml:12:25: error PE1008: JSONPath '$.DetectorIds[' does not parse at character 15: Expected a selector (a quoted name, '*', an index, a slice or a '?' filter), found the end of the query",
                "TestData/rules/five-mistakes.yaml:14:1: error PE1001: Unknown key 'tilte' in a rule. Did you mean 'title'? Allowed keys: assert, category, description, differsFromSraVerify, enabledByDefault, extension, forEach, helpUri, id, inputs, message, operation, predicate, references, remediation, resourceType, scope, severity, tags, target, title, where.",
            ],
            compilation.Diagnostics.Select(d => d.ToString()));
        Assert.All(compilation.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void A_valid_rule_compiles_to_its_descriptor_and_body()
    {
        var compilation = Compile(("organizations/SRA-ORGANIZATIONS-01.yaml", """
            id: SRA-ORGANIZATIONS-01
            title: AWS Organizations is enabled
            message: "The management account {account} does not belong to an organization."
            category: Organizations
            severity: critical
            description: >
              First line
              second line.
            references:
              sraVerify: SRA-ORGANIZATIONS-01
              sraExamples: common/common_prerequisites
              links: [https://example.com/a]
            tags: [foundation]
            target: organization
            inputs:
              describe:
                operation: organizations:DescribeOrganization
                account: management
                errors:
                  AWSOrganizationsNotInUseException: fail
            assert:
              - path: $.Organization.Id
                exists: true
            """));
        Assert.Empty(compilation.Diagnostics);
        var rule = Assert.Single(compilation.RuleSet!.Rules);
        Assert.Same(rule, compilation.RuleSet.Find("SRA-ORGANIZATIONS-01"));
        Assert.Null(compilation.RuleSet.Find("SRA-NOPE-01"));
        var d = rule.Descriptor;
        Assert.Equal(
            ("SRA-ORGANIZATIONS-01", "AWS Organizations is enabled", "Organizations", RuleSeverity.Critical, "First line second line.", "SRA-ORGANIZATIONS-01", "common/common_prerequisites", "organization", "organizations/SRA-ORGANIZATIONS-01.yaml"),
            (d.Id, d.Title, d.Category, d.DefaultSeverity, d.Description, d.SraVerifyCheck, d.SraExamplesSolution, d.Target, d.SourceFile));
        Assert.Equal(["https://example.com/a"], d.Links);
        Assert.Equal(["foundation"], d.Tags);
        Assert.True(d.IsEnabledByDefault);
        Assert.Equal(TargetKind.Organization, rule.Target);
        Assert.Equal(new SourceLocation("organizations/SRA-ORGANIZATIONS-01.yaml", 1, 5), rule.Location);
        var input = Assert.Single(rule.Inputs);
        Assert.Equal(("describe", "organizations:DescribeOrganization", "management", "global", true),
            (input.Name, input.Operation.ToString(), input.Account, input.Region, input.Required));
        Assert.Equal(Outcome.Fail, input.ErrorOutcomes["AWSOrganizationsNotInUseException"]);
        var all = Assert.IsType<AllCondition>(rule.Assert);
        var path = Assert.IsType<PathCondition>(Assert.Single(all.Conditions));
        Assert.Equal(("describe", "$.Organization.Id"), (path.Input, path.Path.Text));
        Assert.Equal(new ExistsTest(true), path.Test);
    }

    [Fact]
    [Covers(DiagnosticCodes.MissingKey)]
    [Covers(DiagnosticCodes.InvalidRuleId)]
    [Covers(DiagnosticCodes.UnknownPlaceholder)]
    public void Missing_keys_bad_id_and_unknown_placeholder()
    {
        Assert.Equal(
            [
                "rule.yaml:1:1: error PE1003: A rule needs an 'assert' (JSONPath conditions) or a 'predicate' (JavaScript).",
                "rule.yaml:1:1: error PE1003: Missing required key 'category'.",
                "rule.yaml:1:1: error PE1003: Missing required key 'severity'.",
                "rule.yaml:1:1: error PE1003: Missing required key 'title'.",
                "rule.yaml:1:5: error PE1006: Rule id 'sra-bad' must look like SRA-GUARDDUTY-01: upper-case words joined by '-', ending in a number of at least two digits.",
                "rule.yaml:3:11: error PE1014: Message placeholder '{acount}' is unknown; did you mean '{account}'? Use {account}, {accountName}, {region}, {resource}, {detail}, {rule}, {ouPath}.",
            ],
            Diagnose("id: sra-bad\ntarget: account\nmessage: \"{acount} x\"\n"));
    }

    [Theory]
    [InlineData("message: \"Account {account} has {regoin} gaps.\"\n", "7:33")]
    [InlineData("message: Account {account} has {regoin} gaps.\n", "7:32")]
    [InlineData("message: 'Account {account} has {regoin} gaps.'\n", "7:33")]
    [InlineData("message: |\n  Account {account} has {regoin} gaps.\n", "7:10")]
    public void Unknown_placeholder_is_reported_at_the_placeholder(string message, string location)
    {
        var text = Rule("target: account\n" + Exists).Replace("message: \"Check failed for {account}.\"\n", string.Empty, StringComparison.Ordinal) + message;
        Assert.Equal(
            [$"rule.yaml:{location}: error PE1014: Message placeholder '{{regoin}}' is unknown; did you mean '{{region}}'? Use {{account}}, {{accountName}}, {{region}}, {{resource}}, {{detail}}, {{rule}}, {{ouPath}}."],
            Diagnose(text));
    }

    [Theory]
    [InlineData("\"true\"", "true")]
    [InlineData("'false'", "false")]
    public void Quoted_boolean_says_it_is_a_quoted_string(string yaml, string word)
    {
        Assert.Equal(
            [$"rule.yaml:9:13: error PE1002: 'exists' must be true or false, but it is the quoted string \"{word}\"; write {word} without quotes."],
            Diagnose(Rule("target: account\nassert:\n  - path: $.a\n    exists: " + yaml + "\n")));
    }

    [Fact]
    [Covers(DiagnosticCodes.MissingKey)]
    public void An_empty_file_is_a_missing_key()
    {
        Assert.Equal(["rule.yaml:1:1: error PE1003: The rule file is empty."], Diagnose("  \n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.WrongType)]
    public void Wrong_types_point_at_the_value()
    {
        Assert.Equal(
            [
                "rule.yaml:1:1: error PE1003: Missing required key 'title'.",
                "rule.yaml:6:7: error PE1002: 'tags' must be a list of strings, but it is a mapping.",
                "rule.yaml:7:19: error PE1002: 'enabledByDefault' must be true or false, but it is 'yes'.",
                "rule.yaml:8:9: error PE1002: 'target' must be a string, but it is a sequence.",
            ],
            Diagnose("id: SRA-TEST-01\nmessage: m\ncategory: Test\nseverity: low\n" + Exists + "tags: { a: 1 }\nenabledByDefault: yes\ntarget: [account]\n"));
        Assert.Equal(["rule.yaml:1:1: error PE1002: A rule file holds one mapping (id, title, target, ...), but this holds a sequence."], Diagnose("- a\n- b\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.DuplicateRuleId)]
    public void Duplicate_id_across_two_sources_is_reported_on_the_one_read_second()
    {
        // Source order, not path order: with --rules builtin --rules ./acme the shipped pack keeps its ids wherever it is installed.
        var rule = Rule("target: account\n" + Exists);
        var compilation = Compile(("b.yaml", rule), ("a.yaml", rule));
        Assert.Equal(
            ["a.yaml:1:5: error PE1004: Rule id 'SRA-TEST-01' is already used at b.yaml:1:5; every rule needs its own id."],
            compilation.Diagnostics.Select(d => d.ToString()));
        Assert.False(compilation.Success);
    }

    [Theory]
    [Covers(DiagnosticCodes.InvalidValue)]
    [InlineData("target: acount\n" + Exists,
        "rule.yaml:6:9: error PE1007: 'acount' is not one of organization, account, account-region, resource, evidence. Did you mean 'account'?")]
    [InlineData("target: account\nscope:\n  roles: [management, auditor]\n" + Exists,
        "rule.yaml:8:10: error PE1007: 'auditor' is not an SRA account role; use management, securityTooling, logArchive, network, sharedServices, or leave out 'roles' for every account.")]
    [InlineData("target: account\nassert:\n  - path: $.a\n    quantifier: some\n    exists: true\n",
        "rule.yaml:9:17: error PE1007: quantifier 'some' must be all or any.")]
    [InlineData("target: account\nforEach:\n  path: $.a[*]\n  ifEmpty: error\n" + Exists,
        "rule.yaml:9:12: error PE1007: ifEmpty 'error' must be fail, notApplicable or pass.")]
    [InlineData("target: organization\ninputs:\n  describe:\n    operation: organizations:DescribeOrganization\n    errors:\n      AWSOrganizationsNotInUseException: error\n" + Exists,
        "rule.yaml:11:42: error PE1007: 'error' is not an outcome an error code can map to; use pass, fail, notApplicable or insufficientData.")]
    [InlineData("target: organization\ninputs:\n  describe:\n    operation: organizations:DescribeOrganization\n    errors:\n      AccessDeniedException: { messageContains: not enabled }\n" + Exists,
        "rule.yaml:11:30: error PE1003: The mapping of error code 'AccessDeniedException' needs 'outcome' (pass, fail, notApplicable or insufficientData).")]
    [InlineData("target: organization\ninputs:\n  describe:\n    operation: organizations:DescribeOrganization\n    errors:\n      AccessDeniedException: { outcome: fail, messageContains: '' }\n" + Exists,
        "rule.yaml:11:64: error PE1007: messageContains must be non-empty text that the AWS error message contains, e.g. 'Macie is not enabled'.")]
    [InlineData("target: account\nhelpUri: http://example.com/x\n" + Exists,
        "rule.yaml:7:10: error PE1007: helpUri 'http://example.com/x' must be an absolute https:// link.")]
    [InlineData("target: account\nassert:\n  - path: $.a\n    maxAgeHours: 0\n",
        "rule.yaml:9:18: error PE1007: maxAgeHours must be a positive number of hours, not 0.")]
    [InlineData("target: account\nassert:\n  - path: $.a\n    equals: { subjectAccount: false }\n",
        "rule.yaml:9:31: error PE1007: subjectAccount only takes 'true'; leave it out to compare with something else.")]
    [InlineData("target: account\nassert:\n  - path: $.a\n    equals: { subjectRegion: false }\n",
        "rule.yaml:9:30: error PE1007: subjectRegion only takes 'true'; leave it out to compare with something else.")]
    [InlineData("target: account\ninputs:\n  summary:\n    operation: iam:GetAccountSummary\n    account: someone\n" + Exists,
        "rule.yaml:10:14: error PE1007: Input account 'someone' must be 'subject', an SRA role (management, securityTooling, logArchive, network, sharedServices) or a 12-digit account id.")]
    [InlineData("target: account\ninputs:\n  Summary: iam:GetAccountSummary\n" + Exists,
        "rule.yaml:8:3: error PE1007: Input name 'Summary' must be a camelCase identifier and not one of the built-ins (subject, account, organization, roles, regions).")]
    [InlineData("target: account\ninputs:\n  summary: iam.GetAccountSummary\n" + Exists,
        "rule.yaml:8:12: error PE1007: Operation 'iam.GetAccountSummary' must be written service:Operation, e.g. guardduty:ListDetectors.")]
    [InlineData("target: account\nassert:\n  - path: $.a\n    notEmpty: false\n",
        "rule.yaml:9:15: error PE1007: notEmpty only takes 'true'; to require absence write 'exists: false'.")]
    [InlineData("target: account\nassert:\n  - path: $.a\n    equals: { role: auditor }\n",
        "rule.yaml:9:21: error PE1007: 'auditor' is not an SRA account role; use management, securityTooling, logArchive, network, sharedServices.")]
    public void Invalid_values(string body, string expected)
    {
        Assert.Equal([expected], Diagnose(Rule(body)));
    }

    [Fact]
    [Covers(DiagnosticCodes.InvalidSelector)]
    public void Selector_error_column_points_at_the_offending_character_in_quoted_and_plain_scalars()
    {
        Assert.Equal(
            [
                "rule.yaml:8:23: error PE1008: JSONPath '$.a[?@.b ==]' does not parse at character 12: Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found ']'",
                "rule.yaml:10:22: error PE1008: JSONPath '$.a[?@.b ==]' does not parse at character 12: Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found ']'",
            ],
            Diagnose(Rule("target: account\nassert:\n  - path: \"$.a[?@.b ==]\"\n    exists: true\n  - path: $.a[?@.b ==]\n    exists: true\n")));
    }

    [Fact]
    [Covers(DiagnosticCodes.UnknownOperation)]
    public void Unknown_operation_without_a_close_match_says_how_to_fix()
    {
        Assert.Equal(
            ["rule.yaml:8:12: error PE1009: Operation 's3:ListBuckets' is not in the collection plan, so no snapshot can hold its evidence. Add it to collectors/ or fix the name."],
            Diagnose(Rule("target: account\ninputs:\n  buckets: s3:ListBuckets\n" + Exists)));
    }

    [Fact]
    public void Open_catalog_accepts_any_well_formed_operation()
    {
        var compilation = new RuleCompiler(OperationCatalog.Open).Compile(
            [new RuleSource("r.yaml", "r.yaml", Rule("target: account\ninputs:\n  buckets: s3:ListBuckets\n" + Exists))]);
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal("global", compilation.RuleSet!.Rules[0].Inputs[0].Region);
    }

    [Fact]
    [Covers(DiagnosticCodes.InvalidRegex)]
    public void Invalid_regex_points_at_the_pattern()
    {
        Assert.Equal(
            ["rule.yaml:9:14: error PE1010: Regular expression /(unclosed/ is invalid: Invalid pattern '^(?:(unclosed)$' at offset 15. Not enough )'s."],
            Diagnose(Rule("target: account\nassert:\n  - path: $.a\n    matches: \"(unclosed\"\n")));
    }

    [Theory]
    [InlineData("(?=a)a")]
    [InlineData("(?<!x)a")]
    [InlineData(@"(a)\1")]
    [InlineData("(?>a+)b")]
    [InlineData("a{1,5000}b{1,5000}")]
    public void Regex_that_needs_backtracking_is_PE1010_not_a_crash(string pattern)
    {
        Assert.Equal(
            [$"rule.yaml:9:14: error PE1010: Regular expression /{pattern}/ cannot be matched in linear time: lookarounds ((?=...), (?!...), (?<=...), (?<!...)), backreferences (\\1, \\k<name>), atomic groups ((?>...)) and very large counted repetitions are not supported. Rewrite it without them, or test the value with a predicate."],
            Diagnose(Rule("target: account\nassert:\n  - path: $.a\n    matches: '" + pattern + "'\n")));
    }

    [Fact]
    public void Regex_longer_than_8192_characters_is_PE1010()
    {
        Assert.Equal(
            [$"rule.yaml:9:14: error PE1010: Regular expression /{new string('a', 64)}... (200,000 characters)/ is longer than the limit of 8192 characters. Shorten it, or split it into several conditions under 'any'."],
            Diagnose(Rule("target: account\nassert:\n  - path: $.a\n    matches: '" + new string('a', 200_000) + "'\n")));
    }

    [Fact]
    [Covers(DiagnosticCodes.UnknownInput)]
    public void Unknown_input_lists_the_known_ones()
    {
        Assert.Equal(
            ["rule.yaml:8:12: error PE1011: Input 'detectrs' is not declared. Declare it under 'inputs', or use one of: account, organization, regions, roles, subject."],
            Diagnose(Rule("target: account\nassert:\n  - input: detectrs\n    path: $.a\n    exists: true\n")));
    }

    [Fact]
    [Covers(DiagnosticCodes.InvalidCondition)]
    public void Condition_with_no_test_or_two_tests()
    {
        Assert.Equal(
            [
                "rule.yaml:8:5: error PE1012: This condition has no test. Add exactly one of: exists, notEmpty, equals, notEquals, in, notIn, matches, count, greaterThan, greaterOrEqual, lessThan, lessOrEqual, maxAgeHours.",
                "rule.yaml:9:5: error PE1012: This condition has 2 tests (exists, notEmpty); write one test per condition and combine them with 'all' or 'any'.",
            ],
            Diagnose(Rule("target: account\nassert:\n  - path: $.a\n  - path: $.b\n    exists: true\n    notEmpty: true\n")));
        Assert.Equal(
            ["rule.yaml:9:12: error PE1012: count needs 'min', 'max' or both, or a single number for an exact count."],
            Diagnose(Rule("target: account\nassert:\n  - path: $.a\n    count: {}\n")));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConflictingKeys)]
    public void Conflicting_keys()
    {
        Assert.Equal(
            [
                "rule.yaml:7:1: error PE1013: 'resourceType' is only used with 'target: resource'. Remove it or change the target.",
                "rule.yaml:9:1: error PE1013: A rule has either 'assert' or 'predicate', not both. Move the JSONPath conditions into 'where' or into the predicate.",
            ],
            Diagnose(Rule("target: account\nresourceType: AWS::S3::Bucket\n" + Exists + "predicate: return true;\n")));
        Assert.Equal(
            ["rule.yaml:10:13: error PE1013: region: subject needs a regional target (account-region, or evidence of a regional operation); use region: governed to read every governed region from a predicate."],
            Diagnose(Rule("target: account\ninputs:\n  summary:\n    operation: iam:GetAccountSummary\n    region: subject\n" + Exists)));
        Assert.Equal(
            ["rule.yaml:7:1: error PE1013: 'operation' is only used with 'target: evidence'. Declare evidence under 'inputs' instead."],
            Diagnose(Rule("target: account\noperation: iam:GetAccountSummary\n" + Exists)));
    }

    [Fact]
    [Covers(DiagnosticCodes.NoRules)]
    public void An_empty_directory_has_no_rules()
    {
        var directory = TempDirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory, "X-01.tests.yaml"), "rule: X-01\ncases: []\n");
            var compilation = new RuleCompiler(Catalog).CompileDirectories([directory]);
            Assert.Equal(
                [$"{directory}: error PE1015: No rule files (*.yaml) were found. Point --rules at a directory of rules."],
                compilation.Diagnostics.Select(d => d.ToString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [Covers(DiagnosticCodes.UnreadableFile)]
    public void A_missing_rules_path_is_unreadable()
    {
        var missing = Path.Combine(Path.GetTempPath(), "pe-core-tests-does-not-exist");
        var compilation = new RuleCompiler(Catalog).CompileDirectories([missing]);
        Assert.Equal(
            [$"{missing}: error PE1016: The rules path does not exist. Check the --rules argument."],
            compilation.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void A_rule_file_with_latin1_bytes_is_PE1016_at_the_first_invalid_byte()
    {
        var directory = TempDirectory();
        try
        {
            var file = Path.Combine(directory, "SRA-TEST-01.yaml");
            var text = Rule("target: account\n" + Exists).Replace("title: Test rule", "title: Caf\u00e9 rule", StringComparison.Ordinal);
            File.WriteAllBytes(file, System.Text.Encoding.Latin1.GetBytes(text));
            var compilation = new RuleCompiler(Catalog).CompileDirectories([directory]);
            Assert.Equal(
                [$"{directory}/SRA-TEST-01.yaml:2:11: error PE1016: The file is not valid UTF-8: byte 0xE9 at this position is not part of a UTF-8 character. Save the file as UTF-8 (a Latin-1 'é' is one byte; in UTF-8 it is two)."],
                compilation.Diagnostics.Select(d => d.ToString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Directories_are_loaded_recursively_in_ordinal_order_skipping_test_files()
    {
        var directory = TempDirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "b"));
            File.WriteAllText(Path.Combine(directory, "b", "two.yaml"), Rule("target: account\n" + Exists, id: "SRA-TEST-02"));
            File.WriteAllText(Path.Combine(directory, "a.yml"), Rule("target: account\n" + Exists, id: "SRA-TEST-01"));
            File.WriteAllText(Path.Combine(directory, "b", "two.tests.yaml"), "not: [a rule");
            var compilation = new RuleCompiler(Catalog).CompileDirectories([directory]);
            Assert.Empty(compilation.Diagnostics);
            Assert.Equal(
                [("SRA-TEST-01", "a.yml"), ("SRA-TEST-02", "b/two.yaml")],
                compilation.RuleSet!.Rules.Select(r => (r.Descriptor.Id, r.Descriptor.SourceFile)));
            Assert.Equal(Path.Combine(directory, "b/two.yaml").Replace('\\', '/'), compilation.RuleSet.Rules[1].Location.File);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [Covers(DiagnosticCodes.ScriptSyntax)]
    [InlineData("predicate: |\n  return (;\n", "rule.yaml:8:11")]
    [InlineData("predicate: |\n  const x = 1;\n  return x +;\n", "rule.yaml:9:13")]
    [InlineData("predicate: |\n\n    const x = 1;\n    return x +;\n", "rule.yaml:10:15")]
    [InlineData("predicate: \"return (;\"\n", "rule.yaml:7:21")]
    [InlineData("predicate: return (;\n", "rule.yaml:7:20")]
    public void Script_syntax_error_maps_to_the_yaml_line_and_column(string predicate, string location)
    {
        Assert.Equal([location + ": error PE2101: JavaScript syntax error: Unexpected token ';'"], Diagnose(Rule("target: account-region\n" + predicate)));
    }

    [Fact]
    [Covers(DiagnosticCodes.ScriptTooLong)]
    public void Predicate_longer_than_the_sandbox_allows()
    {
        var compiler = new RuleCompiler(Catalog, new ScriptSandboxOptions { MaxSourceLength = 16 });
        var compilation = compiler.Compile([new RuleSource("r.yaml", "r.yaml", Rule("target: account\npredicate: |\n  return 1 === 1 && true;\n"))]);
        Assert.Equal(
            ["r.yaml:8:3: error PE2102: predicate source is 24 characters long; maxSourceLength is 16"],
            compilation.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Values_and_tests_bind_to_the_model()
    {
        var rule = RuleSet(Rule("""
            target: account-region
            inputs:
              trails:
                operation: cloudtrail:DescribeTrails
                parameters: { includeShadowTrails: "true" }
                required: false
              detector:
                operation: guardduty:GetDetector
                parameters:
                  DetectorId:
                    path: $.DetectorIds[0]
            assert:
              any:
                - path: $.a
                  equals: 1.50
                - path: $.a
                  in: [x, 2, true, null]
                - path: $.a
                  notIn: { input: trails, path: "$.b[*]" }
                - path: $.a
                  equals: { subjectAccount: true }
                - path: $.a
                  equals: { role: logArchive }
                - path: $.a
                  equals: { value: [1, "a"] }
                - not: { path: $.a, count: { min: 1, max: 3 } }
                - path: $.a
                  greaterOrEqual: 2
                - path: $.a
                  maxAgeHours: 24
            """)).Rules[0];
        Assert.Equal(("subject", "global"), (rule.Inputs[0].Region, "global"));
        Assert.False(rule.Inputs[0].Required);
        Assert.Equal(new ParameterBinding("includeShadowTrails", "true", null), rule.Inputs[0].Parameters[0]);
        Assert.Equal("$.DetectorIds[0]", rule.Inputs[1].Parameters[0].Selector!.Text);
        var any = Assert.IsType<AnyCondition>(rule.Assert);
        Assert.Equal(
            [
                "equal 1.5", "be one of [\"x\", 2, true, null]", "not be one of the values of $.b[*] in trails", "equal the subject's account id",
                "equal the account id(s) of role logArchive", "equal [1,\"a\"]", "not", "be >= 2", "be at most 24 hours old",
            ],
            any.Conditions.Select(c => c is PathCondition p ? p.Test.Describe() : "not"));
        Assert.Equal("select between 1 and 3 nodes", ((PathCondition)((NotCondition)any.Conditions[6]).Inner).Test.Describe());
        Assert.All(any.Conditions.OfType<PathCondition>(), p => Assert.Equal("trails", p.Input));
    }
}
