using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Rules;

/// <summary>
/// Issue 15, defect 14: a YAML error no longer hides the rest of its file. The reader sets the broken entry aside
/// (its key kept, its value null) and goes on, so one run reports every syntax error and every other mistake of the
/// file, each at its place, and nothing that only follows from a syntax error.
/// </summary>
public class YamlRecoveryTests
{
    private const string Header = "id: SRA-TEST-01\ntitle: Test rule\nmessage: \"Check failed for {account}.\"\n";

    [Fact]
    public void A_syntax_error_on_line_4_and_an_unknown_key_on_line_10_are_both_reported()
    {
        Assert.Equal(
            [
                "rule.yaml:4:11: error PE0001: YAML syntax error: the flow sequence opened with '[' here is not closed. Add the missing ']' after its last item.",
                "rule.yaml:10:1: error PE1001: Unknown key 'colour' in a rule. Allowed keys: assert, category, description, differsFromSraVerify, enabledByDefault, extension, forEach, "
                    + "helpUri, id, inputs, message, operation, predicate, references, remediation, resourceType, scope, severity, tags, target, title, where.",
            ],
            Diagnose(Header + """
                category: [Test
                severity: high
                target: account
                assert:
                  - path: $.a
                    exists: true
                colour: red
                """));
    }

    [Fact]
    public void Every_syntax_error_and_every_binding_mistake_between_them_is_reported_in_one_run()
    {
        Assert.Equal(
            [
                "rule.yaml:4:11: error PE0002: Anchor '&cat' is not allowed: rule files may not use anchors or aliases. Write the value out in full.",
                "rule.yaml:5:11: error PE1005: Severity 'hihg' is not one of informational, low, medium, high, critical. Did you mean 'high'?",
                "rule.yaml:10:16: error PE1008: JSONPath '$.a[' does not parse at character 5: Expected a selector (a quoted name, '*', an index, a slice or a '?' filter), found the end of the query",
                "rule.yaml:13:1: error PE0001: YAML syntax error: a tab is used as indentation here; YAML indents with spaces only. Replace the tab with spaces.",
            ],
            Diagnose(Header + """
                category: &cat Test
                severity: hihg
                target: account
                assert:
                  - path: $.b
                    exists: true
                  - path: "$.a["
                    exists: true
                tags:
                	- one
                """));
    }

    [Fact]
    public void A_broken_input_does_not_make_the_predicate_report_it_as_undeclared()
    {
        Assert.Equal(
            ["rule.yaml:8:11: error PE0001: YAML syntax error: the flow mapping opened with '{' here is not closed. Add the missing '}' after its last item."],
            Diagnose(Header + """
                category: Test
                severity: high
                target: account
                inputs:
                  trails: { operation: cloudtrail:DescribeTrails
                  detector: guardduty:GetDetector
                predicate: |
                  return ctx.inputs.trails !== undefined && ctx.inputs.detector !== undefined;
                """));
    }

    [Fact]
    public void A_file_with_recovered_errors_yields_no_rule()
    {
        var compilation = Compile(Header + "category: [Test\nseverity: high\ntarget: account\nassert: { path: $.a, exists: true }\n");

        Assert.Null(compilation.RuleSet);
        Assert.Single(compilation.Diagnostics);
    }
}
