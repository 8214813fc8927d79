using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Scripting;
using EvidenceStatus = PolicyEngine.Core.Snapshots.EvidenceStatus;

namespace PolicyEngine.Core.Explain;

/// <summary>Caps on what <see cref="ExplainWriter"/> prints of the values a selector found.</summary>
public sealed record ExplainLimits
{
    /// <summary>Nodes shown per condition (or forEach); the rest are counted.</summary>
    public int MaxNodes { get; init; } = 5;

    /// <summary>Characters shown per value (compact JSON); a longer value is cut and its length said.</summary>
    public int MaxValueLength { get; init; } = 120;
}

/// <summary>
/// Renders an <see cref="Explanation"/> as text, one block per subject:
/// <code>
/// subject 222222222222/global/222222222222 (Audit)
///   input summary: iam:GetAccountSummary @ 222222222222/global: ok
///   assert r.yaml:15:7: $.SummaryMap.AccountMFAEnabled in summary should equal 1: false
///     $['evidence'][1]['response']['SummaryMap']['AccountMFAEnabled'] = 0
///   => fail: Check failed for 222222222222 (...).
/// </code>
/// Combinators are shown before their operands, indented under them. Output is deterministic (same inputs, same
/// bytes), lines end with LF, and control characters in messages and logs are escaped.
/// </summary>
public static class ExplainWriter
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the explanation as UTF-8 (no BOM) to a stream, left open and flushed.</summary>
    public static void Write(Explanation explanation, Stream output, ExplainLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = ReportWriting.TextWriter(output);
        Write(explanation, writer, limits);
        writer.Flush();
    }

    /// <summary>Writes the explanation.</summary>
    public static void Write(Explanation explanation, TextWriter output, ExplainLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentNullException.ThrowIfNull(output);
        limits ??= new ExplainLimits();
        var rule = explanation.Rule;
        var lines = new Lines(output);
        lines.Add(0, $"rule {rule.Descriptor.Id}: {rule.Descriptor.Title}");
        lines.Add(1, $"defined at {rule.Location.File}:{rule.Location.Line}:{rule.Location.Column}; target {rule.Target.ToName()}"
                     + (rule.ResourceType is { } type ? " " + type : string.Empty) + (rule.Operation is { } op ? " " + op : string.Empty));
        lines.Add(1, $"snapshot {explanation.Snapshot}" + (explanation.SubjectFilter is { } f ? $"; subjects matching {f}" : string.Empty));
        if (explanation.DisabledByConfiguration)
        {
            lines.Add(1, "the configuration disables this rule, so it is not evaluated; enable it to explain it");
            return;
        }

        if (explanation.Subjects.Count == 0)
        {
            lines.Add(1, "the rule has no subject in this snapshot");
        }

        var depths = ConditionDepths(rule);
        foreach (var subject in explanation.Subjects)
        {
            lines.Blank();
            WriteSubject(subject, depths, limits, lines);
        }
    }

    private static void WriteSubject(ExplainedSubject subject, IReadOnlyDictionary<Condition, int> depths, ExplainLimits limits, Lines lines)
    {
        var head = (SubjectTrace)subject.Events[0];
        lines.Add(0, $"subject {Name(head.Subject)}" + (head.Subject.AccountName is { } name ? $" ({name})" : string.Empty));
        var item = head.Subject;
        var conditions = new List<ConditionTrace>();
        foreach (var traceEvent in subject.Events.Skip(1))
        {
            if (traceEvent is not ConditionTrace && conditions.Count > 0)
            {
                WriteConditions(conditions, depths, limits, lines, ItemIndent(item, head));
                conditions.Clear();
            }

            if (traceEvent.Subject != item)
            {
                // A forEach item's events carry the item's subject.
                item = traceEvent.Subject;
                if (item != head.Subject)
                {
                    lines.Add(1, $"item {item.Resource}");
                }
            }

            var indent = ItemIndent(item, head);
            switch (traceEvent)
            {
                case InputTrace input:
                    lines.Add(indent, $"input {input.Name}: {(input.Key?.ToString() ?? "(no key)")}: {Status(input)}"
                                      + (input.ReadByPredicate ? " (read by the predicate)" : string.Empty));
                    break;
                case ForEachTrace forEach:
                    lines.Add(indent, $"forEach {forEach.ForEach.Path.Text} in {forEach.ForEach.Input}: {Count(forEach.Items.Count, "item")}");
                    WriteNodes(forEach.Items, limits, lines, indent + 1, values: false);
                    break;
                case ConditionTrace condition:
                    conditions.Add(condition);
                    break;
                case PredicateTrace predicate:
                    WritePredicate(predicate, lines, indent);
                    break;
                case OutcomeTrace outcome:
                    lines.Add(indent, $"=> {outcome.Outcome.ToName()}: {outcome.Message}" + (outcome.Code is { } code ? $" [{code}]" : string.Empty));
                    break;
            }
        }

        if (conditions.Count > 0)
        {
            WriteConditions(conditions, depths, limits, lines, ItemIndent(item, head));
        }
    }

    private static int ItemIndent(FindingSubject item, SubjectTrace head) => item == head.Subject ? 1 : 2;

    private static string Name(FindingSubject subject) => $"{subject.Account ?? "-"}/{subject.Region ?? "-"}/{subject.Resource ?? "-"}";

    private static string Status(InputTrace input) => input.Status switch
    {
        EvidenceStatus.Ok => "ok",
        EvidenceStatus.Error => $"error {input.ErrorCode}" + (input.Detail is { } d ? $" ({d})" : string.Empty),
        EvidenceStatus.NotCollected => "notCollected" + (input.Detail is { } d ? $" ({d})" : string.Empty),
        _ => "missing" + (input.Detail is { } d ? $" ({d})" : string.Empty),
    };

    /// <summary>Conditions arrive after their operands (post-order); shown combinator first, operands indented under it.</summary>
    private static void WriteConditions(List<ConditionTrace> conditions, IReadOnlyDictionary<Condition, int> depths, ExplainLimits limits, Lines lines, int indent)
    {
        var stack = new List<(ConditionTrace Trace, List<object> Children)>();
        foreach (var condition in conditions)
        {
            var depth = depths.GetValueOrDefault(condition.Condition);
            var children = new List<object>();
            while (stack.Count > 0 && depths.GetValueOrDefault(stack[^1].Trace.Condition) > depth)
            {
                children.Insert(0, stack[^1]);
                stack.RemoveAt(stack.Count - 1);
            }

            stack.Add((condition, children));
        }

        foreach (var root in stack)
        {
            WriteCondition(root, limits, lines, indent);
        }
    }

    private static void WriteCondition((ConditionTrace Trace, List<object> Children) node, ExplainLimits limits, Lines lines, int indent)
    {
        var trace = node.Trace;
        var clause = trace.Clause == ConditionClause.Where ? "where" : "assert";
        lines.Add(indent, $"{clause} {trace.Location.Line}:{trace.Location.Column}: {Describe(trace.Condition)}: {Verdict(trace.Verdict)}"
                          + (trace.Verdict == Evaluation.Verdict.Fails || trace.Verdict == Evaluation.Verdict.Insufficient ? Reason(trace.Detail) : string.Empty));
        if (trace.Condition is PathCondition)
        {
            if (trace.Nodes.Count == 0 && trace.Verdict != Evaluation.Verdict.Insufficient)
            {
                lines.Add(indent + 1, "(selects nothing)");
            }

            WriteNodes(trace.Nodes, limits, lines, indent + 1, values: true);
        }

        foreach (var child in node.Children)
        {
            WriteCondition(((ConditionTrace, List<object>))child, limits, lines, indent + 1);
        }
    }

    private static string Reason(string detail) => detail.Length == 0 ? string.Empty : $" ({detail})";

    private static string Verdict(Verdict verdict) => verdict switch
    {
        Evaluation.Verdict.Holds => "true",
        Evaluation.Verdict.Fails => "false",
        _ => "insufficient data",
    };

    private static string Describe(Condition condition) => condition switch
    {
        PathCondition p => $"{(p.Quantifier == Quantifier.Any ? "some value of " : string.Empty)}{p.Path.Text} in {p.Input} should {p.Test.Describe()}",
        AllCondition a => $"all of {Count(a.Conditions.Count, "condition")}",
        AnyCondition a => $"any of {Count(a.Conditions.Count, "condition")}",
        NotCondition => "not",
        _ => condition.GetType().Name,
    };

    private static void WriteNodes(IReadOnlyList<TracedNode> nodes, ExplainLimits limits, Lines lines, int indent, bool values)
    {
        var shown = Math.Min(nodes.Count, limits.MaxNodes);
        for (var i = 0; i < shown; i++)
        {
            lines.Add(indent, values ? $"{nodes[i].Path} = {Value(nodes[i].Value, limits)}" : nodes[i].Path.ToString());
        }

        if (nodes.Count > shown)
        {
            lines.Add(indent, $"... {nodes.Count - shown} more not shown ({Count(nodes.Count, "node")} in all)");
        }
    }

    private static string Value(JsonElement value, ExplainLimits limits)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            value.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text.Length <= limits.MaxValueLength
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, limits.MaxValueLength)}... (cut; {text.Length} characters in all)");
    }

    private static void WritePredicate(PredicateTrace predicate, Lines lines, int indent)
    {
        var result = predicate.Result;
        var returned = result.Outcome switch
        {
            PredicateOutcome.Pass => "pass",
            PredicateOutcome.Fail => "fail",
            PredicateOutcome.NotApplicable => "notApplicable",
            PredicateOutcome.InsufficientData => "insufficientData",
            _ => "error " + result.ErrorCode,
        };
        lines.Add(indent, $"predicate returned {returned}"
                          + (result.Message is { } message ? $": {message}" : string.Empty)
                          + (result.Path is { } path ? $" (path {path})" : string.Empty)
                          + (predicate.ErrorLocation is { } at ? $" at {at.File}:{at.Line}:{at.Column}" : string.Empty));
        if (result.Logs.Count == 0 && result.LogsCut == 0)
        {
            lines.Add(indent + 1, "logged nothing");
        }

        foreach (var log in result.Logs)
        {
            lines.Add(indent + 1, "log: " + log);
        }

        if (result.LogsCut > 0)
        {
            lines.Add(indent + 1, "(" + PredicateLogLimits.DescribeCut(result.LogsCut) + ")");
        }
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    /// <summary>Each condition's nesting depth in its clause (the root is 0), by reference.</summary>
    private static Dictionary<Condition, int> ConditionDepths(CompiledRule rule)
    {
        var depths = new Dictionary<Condition, int>(ReferenceEqualityComparer.Instance);
        void Visit(Condition? condition, int depth)
        {
            if (condition is null)
            {
                return;
            }

            depths[condition] = depth;
            var operands = condition switch
            {
                AllCondition all => all.Conditions,
                AnyCondition any => any.Conditions,
                NotCondition not => [not.Inner],
                _ => [],
            };
            foreach (var operand in operands)
            {
                Visit(operand, depth + 1);
            }
        }

        Visit(rule.Where, 0);
        Visit(rule.Assert, 0);
        return depths;
    }

    /// <summary>Indented, LF-terminated lines with control characters escaped.</summary>
    private sealed class Lines(TextWriter output)
    {
        public void Add(int indent, string text)
        {
            output.Write(new string(' ', indent * 2));
            output.Write(ConsoleReporter.Clean(text));
            output.Write('\n');
        }

        public void Blank() => output.Write('\n');
    }
}
