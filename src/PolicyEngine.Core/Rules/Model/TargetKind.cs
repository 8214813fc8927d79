namespace PolicyEngine.Core.Rules.Model;

/// <summary>What a rule is dispatched to: the engine enumerates these subjects and calls the rule once for each.</summary>
public enum TargetKind
{
    /// <summary>The organization as a whole: one subject.</summary>
    Organization,

    /// <summary>Each account in scope.</summary>
    Account,

    /// <summary>Each account in scope × each governed region in scope.</summary>
    AccountRegion,

    /// <summary>Each AWS Config configuration item of one resource type.</summary>
    Resource,

    /// <summary>Each evidence record of one operation, in the accounts and regions in scope.</summary>
    Evidence,
}

/// <summary>The outcome of one (rule, subject) pair.</summary>
public enum Outcome
{
    /// <summary>The subject meets the rule.</summary>
    Pass,

    /// <summary>The subject does not meet the rule.</summary>
    Fail,

    /// <summary>Evaluation itself failed (a predicate threw or hit a limit, a regex timed out...).</summary>
    Error,

    /// <summary>The subject is out of the rule's scope, or there is nothing to check.</summary>
    NotApplicable,

    /// <summary>The evidence the rule needs is missing, errored or not collected. Never a pass.</summary>
    InsufficientData,
}

/// <summary>Text forms of enums as rules and reports spell them.</summary>
public static class ModelNames
{
    /// <summary>The rule-format word for a target kind.</summary>
    public static string ToName(this TargetKind kind) => kind switch
    {
        TargetKind.Organization => "organization",
        TargetKind.Account => "account",
        TargetKind.AccountRegion => "account-region",
        TargetKind.Resource => "resource",
        _ => "evidence",
    };

    /// <summary>The report word for an outcome (camelCase, as in SARIF and JSON).</summary>
    public static string ToName(this Outcome outcome) => outcome switch
    {
        Outcome.Pass => "pass",
        Outcome.Fail => "fail",
        Outcome.Error => "error",
        Outcome.NotApplicable => "notApplicable",
        _ => "insufficientData",
    };

    /// <summary>Parses a target kind word (<see cref="ToName(TargetKind)"/>'s).</summary>
    public static bool TryParseTargetKind(string text, out TargetKind kind)
    {
        foreach (var candidate in Enum.GetValues<TargetKind>())
        {
            if (candidate.ToName() == text)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Parses an outcome word as rules write it in <c>errors:</c> maps and <c>ifEmpty:</c>.</summary>
    public static bool TryParseOutcome(string text, out Outcome outcome)
    {
        outcome = text switch
        {
            "pass" => Outcome.Pass,
            "fail" => Outcome.Fail,
            "notApplicable" => Outcome.NotApplicable,
            "insufficientData" => Outcome.InsufficientData,
            "error" => Outcome.Error,
            _ => (Outcome)(-1),
        };
        return (int)outcome >= 0;
    }
}
