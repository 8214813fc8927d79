using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Evaluation;

/// <summary>A condition's verdict with the detail and location that explain it.</summary>
internal readonly record struct ConditionResult(Verdict Verdict, string Detail, NormalizedPath? Location)
{
    public static ConditionResult Holds(NormalizedPath? location = null) => new(Verdict.Holds, string.Empty, location);

    /// <summary>A condition that holds, with what held (the value that satisfied it), for pass findings.</summary>
    public static ConditionResult Holds(string detail, NormalizedPath? location) => new(Verdict.Holds, detail, location);
}

/// <summary>
/// Evaluates <see cref="Condition"/>s over the values an <see cref="EvaluationScope"/> provides. Selectors never
/// throw; a selector that finds nothing fails value tests ("no value" is never "compliant").
/// </summary>
internal static class ConditionEvaluator
{
    /// <summary>Evaluates a condition of the given clause; with a tracer in the scope, each condition reports its verdict and selection.</summary>
    public static ConditionResult Evaluate(Condition condition, EvaluationScope scope, ConditionClause clause)
    {
        NodeList? nodes = null;
        NormalizedPath? basePath = null;
        var result = condition switch
        {
            AllCondition all => EvaluateAll(all, scope, clause),
            AnyCondition any => EvaluateAny(any, scope, clause),
            NotCondition not => EvaluateNot(not, scope, clause),
            PathCondition path => EvaluatePath(path, scope, out nodes, out basePath),
            _ => throw new InvalidOperationException($"Unknown condition type {condition.GetType().Name}."),
        };
        result = result.Verdict == Verdict.Fails && condition.Message is { } message ? result with { Detail = message } : result;
        scope.Trace?.Condition(condition, clause, result, basePath, nodes);
        return result;
    }

    private static ConditionResult EvaluateAll(AllCondition all, EvaluationScope scope, ConditionClause clause)
    {
        ConditionResult? insufficient = null;
        NormalizedPath? evidence = null;
        List<string>? held = null;
        foreach (var condition in all.Conditions)
        {
            var result = Evaluate(condition, scope, clause);
            if (result.Verdict == Verdict.Fails)
            {
                return result;
            }

            if (result.Verdict == Verdict.Insufficient)
            {
                insufficient ??= result;
            }

            // A pass points at the value that proved the first condition, and says what held for each.
            evidence ??= result.Location;
            if (result.Detail.Length > 0)
            {
                (held ??= []).Add(result.Detail);
            }
        }

        return insufficient ?? ConditionResult.Holds(HeldDetail(held), evidence);
    }

    /// <summary>How many conditions of an `all` a pass detail names, so that a long rule keeps a readable message.</summary>
    private const int HeldConditionsShown = 3;

    /// <summary>What held in an `all`: the first conditions' details, then how many more held.</summary>
    private static string HeldDetail(List<string>? held) => held switch
    {
        null => string.Empty,
        { Count: <= HeldConditionsShown } => string.Join("; ", held),
        _ => string.Join("; ", held.Take(HeldConditionsShown)) +
            string.Create(CultureInfo.InvariantCulture, $"; and {held.Count - HeldConditionsShown} more held"),
    };

    private static ConditionResult EvaluateAny(AnyCondition any, EvaluationScope scope, ConditionClause clause)
    {
        ConditionResult? insufficient = null;
        var failures = new List<ConditionResult>();
        foreach (var condition in any.Conditions)
        {
            var result = Evaluate(condition, scope, clause);
            switch (result.Verdict)
            {
                case Verdict.Holds:
                    return result;
                case Verdict.Insufficient:
                    insufficient ??= result;
                    break;
                default:
                    failures.Add(result);
                    break;
            }
        }

        return insufficient ?? new ConditionResult(Verdict.Fails,
            "none of these hold: " + string.Join("; ", failures.Select(f => f.Detail)), failures[0].Location);
    }

    private static ConditionResult EvaluateNot(NotCondition not, EvaluationScope scope, ConditionClause clause)
    {
        var inner = Evaluate(not.Inner, scope, clause);
        return inner.Verdict switch
        {
            Verdict.Holds => new ConditionResult(Verdict.Fails, "expected the opposite of: " + Describe(not.Inner), inner.Location),
            Verdict.Fails => scope.DescribePasses
                ? ConditionResult.Holds($"the opposite of: {Describe(not.Inner)} ({inner.Detail})", inner.Location)
                : ConditionResult.Holds(),
            _ => inner,
        };
    }

    private static string Describe(Condition condition) => condition switch
    {
        PathCondition p => $"{p.Path.Text} in {p.Input} should {p.Test.Describe()}",
        AllCondition => "all of the conditions",
        AnyCondition => "any of the conditions",
        _ => "the condition",
    };

    private static ConditionResult EvaluatePath(PathCondition condition, EvaluationScope scope, out NodeList? selected, out NormalizedPath? selectedFrom)
    {
        selected = null;
        selectedFrom = null;
        var input = scope.Resolve(condition.Input);
        if (input.Missing is { } why)
        {
            return new ConditionResult(Verdict.Insufficient, why, null);
        }

        var root = input.Value;
        var nodes = root is { } r ? condition.Path.Evaluate(r.Value) : NodeList.Empty;
        var basePath = root?.Path ?? NormalizedPath.Root;
        selected = nodes;
        selectedFrom = basePath;
        // Made only when a detail needs it: most conditions hold, and what held is only shown for listed passes.
        string Where() => $"{condition.Path.Text} in {condition.Input}";
        var describe = scope.DescribePasses;

        switch (condition.Test)
        {
            case ExistsTest { ShouldExist: true }:
                return nodes.Count > 0
                    ? (describe ? ConditionResult.Holds($"{Where()} exists: {Show(nodes[0].Value)}", basePath.Concat(nodes[0].Location)) : ConditionResult.Holds())
                    : new ConditionResult(Verdict.Fails, $"{Where()} selects nothing", basePath);
            case ExistsTest:
                return nodes.Count == 0
                    ? (describe ? ConditionResult.Holds($"{Where()} is absent, as expected", basePath) : ConditionResult.Holds())
                    : new ConditionResult(Verdict.Fails, $"{Where()} should be absent but selects {Show(nodes[0].Value)}", basePath.Concat(nodes[0].Location));
            case CountTest count:
                var n = nodes.Count;
                return (count.Min is null || n >= count.Min) && (count.Max is null || n <= count.Max)
                    ? (describe ? ConditionResult.Holds(string.Create(CultureInfo.InvariantCulture, $"{Where()} selects {n}, as expected ({count.Describe()})"), basePath) : ConditionResult.Holds())
                    : new ConditionResult(Verdict.Fails, $"{Where()} should {count.Describe()}, but selects {n}", basePath);
        }

        if (nodes.Count == 0)
        {
            return new ConditionResult(Verdict.Fails, $"{Where()} selects nothing (expected it to {condition.Test.Describe()})", basePath);
        }

        var expected = ExpectedValues(condition.Test, scope);
        if (expected.Missing is { } missing)
        {
            return new ConditionResult(Verdict.Insufficient, missing, null);
        }

        NormalizedPath? firstFailure = null;
        string? firstDetail = null;
        var anyHolds = false;
        foreach (var node in nodes)
        {
            var test = TestValue(condition.Test, node.Value, expected.Values, scope);
            if (test.Verdict == Verdict.Insufficient)
            {
                return new ConditionResult(Verdict.Insufficient, test.Detail, null);
            }

            if (test.Verdict == Verdict.Holds)
            {
                anyHolds = true;
                if (condition.Quantifier == Quantifier.Any)
                {
                    return describe
                        ? ConditionResult.Holds($"{Where()} has {Show(node.Value)}, as expected ({condition.Test.Describe()})", basePath.Concat(node.Location))
                        : ConditionResult.Holds();
                }
            }
            else if (firstFailure is null)
            {
                firstFailure = basePath.Concat(node.Location);
                firstDetail = $"{Where()} is {Show(node.Value)}, expected to {condition.Test.Describe()}";
            }
        }

        if (condition.Quantifier == Quantifier.All && firstFailure is null)
        {
            if (!describe)
            {
                return ConditionResult.Holds();
            }

            return ConditionResult.Holds(
                nodes.Count == 1
                    ? $"{Where()} is {Show(nodes[0].Value)}, as expected ({condition.Test.Describe()})"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"all {nodes.Count} values of {Where()} are as expected ({condition.Test.Describe()}), the first {Show(nodes[0].Value)}"),
                basePath.Concat(nodes[0].Location));
        }

        return anyHolds && condition.Quantifier == Quantifier.Any
            ? ConditionResult.Holds()
            : new ConditionResult(Verdict.Fails,
                condition.Quantifier == Quantifier.Any ? $"no value of {Where()} is expected to {condition.Test.Describe()} (first: {Show(nodes[0].Value)})" : firstDetail!,
                condition.Quantifier == Quantifier.Any ? basePath.Concat(nodes[0].Location) : firstFailure);
    }

    private readonly record struct Expected(IReadOnlyList<JsonElement> Values, string? Missing);

    private static Expected ExpectedValues(ConditionTest test, EvaluationScope scope)
    {
        var source = test switch
        {
            EqualsTest e => e.Expected,
            InTest i => i.Allowed,
            _ => null,
        };
        switch (source)
        {
            case null:
                return new Expected([], null);
            case LiteralValues literal:
                return new Expected(literal.Values, null);
            case SubjectAccount:
                return scope.SubjectAccountId is { } id ? new Expected([JsonString(id)], null)
                    : new Expected([], "the subject has no account to compare with");
            case SubjectRegion:
                return scope.Subject.Region is { } region && !string.Equals(region, "global", StringComparison.Ordinal)
                    ? new Expected([JsonString(region)], null)
                    : new Expected([], "the subject has no region to compare with");
            case RoleAccounts roles:
                var ids = roles.Roles.SelectMany(scope.AccountsOfRole).Distinct(StringComparer.Ordinal).ToArray();
                return ids.Length > 0
                    ? new Expected(ids.Select(JsonString).ToArray(), null)
                    : new Expected([], $"no account is assigned the SRA role {string.Join(" or ", roles.Roles)} in the snapshot; configure it when collecting");
            case SelectedValues selected:
                var input = scope.Resolve(selected.Input);
                if (input.Missing is { } why)
                {
                    return new Expected([], why);
                }

                return new Expected(input.Value is { } v ? selected.Path.Evaluate(v.Value).Select(n => n.Value).ToArray() : [], null);
            default:
                throw new InvalidOperationException($"Unknown value source {source.GetType().Name}.");
        }
    }

    private static JsonElement JsonString(string text) => JsonSerializer.SerializeToElement(text, JsonContext.Default.String);

    private static ConditionResult TestValue(ConditionTest test, JsonElement value, IReadOnlyList<JsonElement> expected, EvaluationScope scope)
    {
        bool holds;
        switch (test)
        {
            case NotEmptyTest:
                holds = value.ValueKind switch
                {
                    JsonValueKind.Array => value.GetArrayLength() > 0,
                    JsonValueKind.Object => value.EnumerateObject().Any(),
                    JsonValueKind.String => value.GetString()!.Length > 0,
                    JsonValueKind.Null or JsonValueKind.Undefined => false,
                    _ => true,
                };
                break;
            case EqualsTest equals:
                holds = expected.Any(e => JsonElement.DeepEquals(e, value)) != equals.Negated;
                break;
            case InTest inTest:
                holds = expected.Any(e => JsonElement.DeepEquals(e, value)) != inTest.Negated;
                break;
            case MatchesTest matches:
                try
                {
                    holds = value.ValueKind == JsonValueKind.String && matches.Pattern.IsMatch(value.GetString()!);
                }
                catch (RegexMatchTimeoutException)
                {
                    throw new RuleEvaluationException(Core.Diagnostics.DiagnosticCodes.RegexTimeout,
                        $"the regular expression /{matches.Text}/ timed out");
                }

                break;
            case CompareTest compare:
                if (value.ValueKind != JsonValueKind.Number)
                {
                    holds = false;
                    break;
                }

                var number = value.GetDouble();
                holds = compare.Operator switch
                {
                    ">" => number > compare.Operand,
                    ">=" => number >= compare.Operand,
                    "<" => number < compare.Operand,
                    _ => number <= compare.Operand,
                };
                break;
            case MaxAgeTest maxAge:
                if (scope.Now is not { } now)
                {
                    return new ConditionResult(Verdict.Insufficient, "the snapshot has no metadata.collectedAt, so ages cannot be measured", null);
                }

                holds = TryTimestamp(value, out var at) && now - at <= maxAge.MaxAge && at <= now + TimeSpan.FromMinutes(5);
                break;
            default:
                throw new InvalidOperationException($"Unknown test {test.GetType().Name}.");
        }

        return holds ? ConditionResult.Holds() : new ConditionResult(Verdict.Fails, string.Empty, null);
    }

    /// <summary>AWS timestamps come as ISO 8601 strings or epoch numbers (seconds, sometimes milliseconds).</summary>
    private static bool TryTimestamp(JsonElement value, out DateTimeOffset at)
    {
        at = default;
        if (value.ValueKind == JsonValueKind.String)
        {
            return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var epoch))
        {
            at = epoch > 1e11 ? DateTimeOffset.FromUnixTimeMilliseconds((long)epoch) : DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000));
            return true;
        }

        return false;
    }

    /// <summary>
    /// A short rendering of a value for messages, on one line (a value the snapshot spreads over several lines is
    /// written compactly); long values are cut.
    /// </summary>
    public static string Show(JsonElement value)
    {
        var text = value.GetRawText();
        if (text.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                value.WriteTo(writer);
            }

            text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        return text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
    }
}

/// <summary>An evaluation problem that makes the outcome Error with a code.</summary>
internal sealed class RuleEvaluationException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
