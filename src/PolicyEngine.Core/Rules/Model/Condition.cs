using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Rules.Model;

/// <summary>A condition of a rule's <c>where</c> or <c>assert</c>.</summary>
public abstract record Condition
{
    /// <summary>Where the condition is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>A message that replaces the generated detail when this condition fails.</summary>
    public string? Message { get; init; }
}

/// <summary>All of the conditions hold.</summary>
public sealed record AllCondition(IReadOnlyList<Condition> Conditions) : Condition;

/// <summary>At least one of the conditions holds.</summary>
public sealed record AnyCondition(IReadOnlyList<Condition> Conditions) : Condition;

/// <summary>The condition does not hold.</summary>
public sealed record NotCondition(Condition Inner) : Condition;

/// <summary>Whether every selected node, or at least one, must satisfy a value test.</summary>
public enum Quantifier
{
    /// <summary>Every selected node (and there must be at least one).</summary>
    All,

    /// <summary>At least one selected node.</summary>
    Any,
}

/// <summary>A test on the nodes a selector finds in an input.</summary>
public sealed record PathCondition : Condition
{
    /// <summary>The input to select from (a declared input, or subject, account, organization, roles).</summary>
    public required string Input { get; init; }

    /// <summary>The selector.</summary>
    public required JsonPathQuery Path { get; init; }

    /// <summary>All or any.</summary>
    public Quantifier Quantifier { get; init; } = Quantifier.All;

    /// <summary>The test.</summary>
    public required ConditionTest Test { get; init; }
}

/// <summary>What a <see cref="PathCondition"/> checks.</summary>
public abstract record ConditionTest
{
    /// <summary>A short description for messages, e.g. "equal \"ALL\"".</summary>
    public abstract string Describe();
}

/// <summary>The selector finds at least one node (<c>exists: true</c>) or none (<c>exists: false</c>).</summary>
public sealed record ExistsTest(bool ShouldExist) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => ShouldExist ? "exist" : "be absent";
}

/// <summary>Every node is a non-empty array, object or string (and is not null).</summary>
public sealed record NotEmptyTest : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => "be non-empty";
}

/// <summary>Node values equal (or do not equal) a value.</summary>
public sealed record EqualsTest(ValueSource Expected, bool Negated) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => (Negated ? "not equal " : "equal ") + Expected.Describe();
}

/// <summary>Node values are (or are not) among a set of values.</summary>
public sealed record InTest(ValueSource Allowed, bool Negated) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => (Negated ? "not be one of " : "be one of ") + Allowed.Describe();
}

/// <summary>String node values match a regular expression (whole value).</summary>
public sealed record MatchesTest(Regex Pattern, string Text) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => $"match /{Text}/";
}

/// <summary>The number of selected nodes is within bounds.</summary>
public sealed record CountTest(int? Min, int? Max) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => (Min, Max) switch
    {
        ({ } min, { } max) when min == max => $"select exactly {min} node(s)",
        ({ } min, { } max) => $"select between {min} and {max} nodes",
        ({ } min, null) => $"select at least {min} node(s)",
        (null, { } max) => $"select at most {max} node(s)",
        _ => "select any number of nodes",
    };
}

/// <summary>Numeric node values compare with a number.</summary>
public sealed record CompareTest(string Operator, double Operand) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => $"be {Operator} {Operand.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Timestamp node values are at most this old, measured at the snapshot's collection time.</summary>
public sealed record MaxAgeTest(TimeSpan MaxAge) : ConditionTest
{
    /// <inheritdoc/>
    public override string Describe() => $"be at most {MaxAge.TotalHours.ToString(System.Globalization.CultureInfo.InvariantCulture)} hours old";
}

/// <summary>Where a comparison value comes from.</summary>
public abstract record ValueSource
{
    /// <summary>A short description for messages.</summary>
    public abstract string Describe();
}

/// <summary>Literal values written in the rule (one for equals; a list for in).</summary>
public sealed record LiteralValues(IReadOnlyList<JsonElement> Values) : ValueSource
{
    /// <inheritdoc/>
    public override string Describe() =>
        Values.Count == 1 ? Values[0].GetRawText() : "[" + string.Join(", ", Values.Select(v => v.GetRawText())) + "]";
}

/// <summary>The values another selector finds, e.g. the log-archive account's bucket names.</summary>
public sealed record SelectedValues(string Input, JsonPathQuery Path) : ValueSource
{
    /// <inheritdoc/>
    public override string Describe() => $"the values of {Path.Text} in {Input}";
}

/// <summary>The account ids assigned to SRA roles.</summary>
public sealed record RoleAccounts(IReadOnlyList<string> Roles) : ValueSource
{
    /// <inheritdoc/>
    public override string Describe() => "the account id(s) of role " + string.Join(" or ", Roles);
}

/// <summary>The subject's own account id.</summary>
public sealed record SubjectAccount : ValueSource
{
    /// <inheritdoc/>
    public override string Describe() => "the subject's account id";
}

/// <summary>The subject's region, e.g. to keep a trail listed in every region to the one it is homed in.</summary>
public sealed record SubjectRegion : ValueSource
{
    /// <inheritdoc/>
    public override string Describe() => "the subject's region";
}
