using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Rules.Checks;

/// <summary>
/// The check stage: compares each bound rule with the evidence catalogue (what the collection plan gathers, where,
/// and how it types values). It only warns: the rule is well-formed, but on collected snapshots it would report
/// missing evidence (PE1040) or compare text as a number (PE1041), while hand-written test evidence passes.
/// With <see cref="OperationCatalog.Open"/> nothing is checked.
/// </summary>
internal static class EvidenceCatalogCheck
{
    public static void Check(CompiledRule rule, OperationCatalog catalog, ICollection<Diagnostic> diagnostics)
    {
        if (catalog.IsOpen)
        {
            return;
        }

        CheckWhereCollected(rule, catalog, diagnostics);
        CheckNumbers(rule, rule.Where, catalog, diagnostics);
        CheckNumbers(rule, rule.Assert, catalog, diagnostics);
    }

    /// <summary>PE1040: every input (and an evidence target's operation) is read in accounts and regions the plan collects it in.</summary>
    private static void CheckWhereCollected(CompiledRule rule, OperationCatalog catalog, ICollection<Diagnostic> diagnostics)
    {
        foreach (var input in rule.Inputs)
        {
            CheckRead(rule, catalog, input.Operation, input.Account, input.Region != "global", $"Input '{input.Name}' reads", input.Location, diagnostics);
        }

        if (rule.Target == TargetKind.Evidence && rule.Operation is { } target)
        {
            CheckRead(rule, catalog, target, "subject", !rule.OperationIsGlobal, "The rule's target reads",
                rule.OperationLocation ?? rule.Location, diagnostics);
        }
    }

    private static void CheckRead(CompiledRule rule, OperationCatalog catalog, OperationName operation, string account, bool regional,
        string what, SourceLocation location, ICollection<Diagnostic> diagnostics)
    {
        if (catalog.Find(operation) is not { } collected)
        {
            return; // an unknown operation is already an error (PE1009)
        }

        // The accounts the rule reads the evidence in: a list of roles, or every account (null). A literal account id
        // cannot be matched to a role at compile time, so it is not checked.
        IReadOnlyList<string?> roles = account switch
        {
            "subject" when rule.Target == TargetKind.Organization => [SraRoles.Management],
            "subject" when rule.ScopeRoles.Count > 0 => [.. rule.ScopeRoles],
            "subject" => [null],
            var role when SraRoles.IsRole(role) => [role],
            _ => [],
        };
        var uncovered = roles.Where(role => !collected.Sites.Any(site => site.Covers(role, regional))).ToList();
        if (uncovered.Count == 0)
        {
            return;
        }

        var read = Describe(roles, regional);
        var missing = uncovered.Count == roles.Count ? "anywhere it reads it" : Describe(uncovered, regional).TrimStart();
        var sites = string.Join("; and ", collected.Sites.Select(s => s.Describe() + (s.Source is null ? string.Empty : $" ({s.Source})")));
        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.EvidenceNotCollected, location,
            $"{what} {operation}{read}, but the collection plan collects it only {sites}. Evaluation will find no evidence " +
            $"{missing} and report InsufficientData. Read it where it is collected (the input's 'account' and 'region', or the rule's " +
            "'scope.roles'), or collect it there (a plan entry with a matching 'scope', passed with --collectors)."));
    }

    private static string Describe(IReadOnlyList<string?> roles, bool regional) =>
        (roles is [null] ? " in every account" : roles.Count == 1 ? $" in the {roles[0]} account" : $" in the {string.Join(" and ", roles)} accounts") +
        (regional ? ", per region" : ", once per account (region \"global\")");

    /// <summary>PE1041: a numeric comparison reads a member the collector records as a number.</summary>
    private static void CheckNumbers(CompiledRule rule, Condition? condition, OperationCatalog catalog, ICollection<Diagnostic> diagnostics)
    {
        switch (condition)
        {
            case AllCondition all:
                foreach (var c in all.Conditions)
                {
                    CheckNumbers(rule, c, catalog, diagnostics);
                }

                break;
            case AnyCondition any:
                foreach (var c in any.Conditions)
                {
                    CheckNumbers(rule, c, catalog, diagnostics);
                }

                break;
            case NotCondition not:
                CheckNumbers(rule, not.Inner, catalog, diagnostics);
                break;
            case PathCondition path when IsNumeric(path.Test):
                if (OperationRead(rule, path.Input) is not { } operation || catalog.Find(operation) is not { } collected)
                {
                    return;
                }

                var member = path.Path.FinalMemberName;
                if (collected.Numbers.IsNumber(member))
                {
                    return;
                }

                var where = collected.Numbers.Source is null ? string.Empty : $" ({collected.Numbers.Source})";
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NumberRecordedAsText, path.Location,
                    $"This condition compares {path.Path.Text} of {operation} as a number (it must {path.Test.Describe()}), but the collector " +
                    $"records {(member is null ? "it" : $"'{member}'")} as text: the {collected.Numbers.Protocol} protocol answers in XML and the plan " +
                    $"entry{where} names no service model to type it. On collected snapshots the comparison never holds, even though test evidence " +
                    "with real numbers passes. Name the service's AWS model in its collector file (model: SERVICE/API-VERSION), which types every member."));
                break;
        }
    }

    /// <summary>Comparisons that need a JSON number: greater/less than, and equality with numeric literals.</summary>
    private static bool IsNumeric(ConditionTest test) => test switch
    {
        CompareTest => true,
        EqualsTest { Expected: LiteralValues literal } => literal.Values.Count > 0 && literal.Values.All(v => v.ValueKind == JsonValueKind.Number),
        InTest { Allowed: LiteralValues literal } => literal.Values.Count > 0 && literal.Values.All(v => v.ValueKind == JsonValueKind.Number),
        _ => false,
    };

    /// <summary>The operation whose evidence a condition input reads: a declared input's, or the subject's when the subject is evidence.</summary>
    private static OperationName? OperationRead(CompiledRule rule, string input)
    {
        // Under forEach, the subject is an item selected from the forEach input.
        var source = input == "subject" && rule.ForEach is { } forEach ? forEach.Input : input;
        return source == "subject"
            ? (rule.Target == TargetKind.Evidence ? rule.Operation : null)
            : rule.Inputs.FirstOrDefault(i => i.Name == source)?.Operation;
    }
}
