using PolicyEngine.Core.Documentation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Documentation;

/// <summary>
/// The pack decides once what a definitive service answer means; a rule that gives it another outcome, or leaves it
/// unmapped, without naming the code in its note is a deviation (issue 11: the error-code semantics table).
/// </summary>
public class ServiceAnswersTests
{
    private static string Rule(string id, string errors, string? note) => $$"""
            id: {{id}}
            title: Security Lake subscribers
            message: "Subscribers of {account}."
            category: SecurityLake
            severity: high
            description: Subscribers.
            remediation: Add one.
            helpUri: https://example.com/sl
            references:
              sraVerify: {{id}}
            {{(note is null ? string.Empty : "differsFromSraVerify: " + note)}}
            target: account-region
            inputs:
              subscribers:
                operation: securitylake:ListSubscribers
            {{errors}}
            assert:
              - path: $.subscribers[*]
                exists: true

            """;

    private static RuleSet Rules(params (string Id, string Errors, string? Note)[] rules)
    {
        var catalog = new OperationCatalog([new(new OperationName("securitylake", "ListSubscribers"), CollectionScope.AccountRegion)]);
        var compilation = new RuleCompiler(catalog).Compile([.. rules.Select(r => new RuleSource(r.Id + ".yaml", r.Id + ".yaml", Rule(r.Id, r.Errors, r.Note)))]);
        Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
        return compilation.RuleSet!;
    }

    private const string Fail = "    errors: { ResourceNotFoundException: fail }";
    private const string NotApplicable = "    errors: { ResourceNotFoundException: notApplicable }";

    [Fact]
    public void Leaving_an_answer_unmapped_is_never_the_decision_even_when_most_rules_do()
    {
        var rules = Rules(
            ("SRA-SECURITYLAKE-01", Fail, null),
            ("SRA-SECURITYLAKE-02", string.Empty, null),
            ("SRA-SECURITYLAKE-03", string.Empty, null),
            ("SRA-SECURITYLAKE-04", string.Empty, "Reads the subscribers only when ResourceNotFoundException says there is no data lake."),
            ("SRA-SECURITYLAKE-05", NotApplicable, "No data lake (ResourceNotFoundException) is NotApplicable here."));
        Assert.Equal(
        [
            "SRA-SECURITYLAKE-02 gives securitylake:ListSubscribers ResourceNotFoundException unmapped (InsufficientData unless the predicate decides); the pack decides fail (map it so, or say why in differsFromSraVerify, naming ResourceNotFoundException)",
            "SRA-SECURITYLAKE-03 gives securitylake:ListSubscribers ResourceNotFoundException unmapped (InsufficientData unless the predicate decides); the pack decides fail (map it so, or say why in differsFromSraVerify, naming ResourceNotFoundException)",
        ], ServiceAnswers.Deviations(rules));
    }

    [Fact]
    public void Another_outcome_without_a_note_naming_the_code_is_a_deviation()
    {
        var rules = Rules(
            ("SRA-SECURITYLAKE-01", Fail, null),
            ("SRA-SECURITYLAKE-02", Fail, null),
            ("SRA-SECURITYLAKE-03", NotApplicable, "Differs."));
        Assert.Equal(
        [
            "SRA-SECURITYLAKE-03 gives securitylake:ListSubscribers ResourceNotFoundException notApplicable; the pack decides fail (map it so, or say why in differsFromSraVerify, naming ResourceNotFoundException)",
        ], ServiceAnswers.Deviations(rules));
    }

    [Fact]
    public void The_generated_table_lists_each_answer_with_the_rules_by_outcome()
    {
        var rules = Rules(("SRA-SECURITYLAKE-01", Fail, null), ("SRA-SECURITYLAKE-02", string.Empty, "ResourceNotFoundException is read elsewhere."));
        Assert.EndsWith(
            "| Operation | Error code | Message contains | Outcome: rules |\n|---|---|---|---|\n" +
            "| `securitylake:ListSubscribers` | ResourceNotFoundException | (any) | fail: SRA-SECURITYLAKE-01; unmapped (InsufficientData unless the predicate decides): SRA-SECURITYLAKE-02 |\n",
            ServiceAnswers.Markdown(rules));
    }
}
