using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Core.Text;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Evaluation;

/// <summary>
/// Evaluates one compiled rule for one subject: resolve inputs, expand forEach, apply where, then assert or run
/// the predicate. Missing, failed or uncollected evidence yields InsufficientData, never Pass.
/// </summary>
internal sealed class RuleRunner(Snapshot snapshot, PredicateRunner predicates, CancellationToken cancellationToken, IEvaluationTracer? tracer = null,
    TextPool? details = null, bool passesListed = true)
{
    public void Run(CompiledRule rule, Subject subject, List<RawFinding> output)
    {
        var trace = tracer is null ? null : new TraceSink(tracer, rule, subject);
        trace?.Subject(subject.Json?.Path);
        try
        {
            RunCore(rule, subject, output, trace);
        }
        catch (RuleEvaluationException ex)
        {
            Add(output, trace, rule, Outcome.Error, subject, ex.Message, subject.Json?.Path, ex.Code);
        }
#pragma warning disable CA1031 // One rule's failure must not stop the evaluation of the others: it becomes an Error outcome.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Add(output, trace, rule, Outcome.Error, subject, $"evaluation failed: {ex.GetType().Name}: {ex.Message}",
                subject.Json?.Path, DiagnosticCodes.EvaluationFailed);
        }
    }

    /// <summary>Traces a finding the dispatcher decided without evaluating the rule (out of scope, no subjects, missing evidence).</summary>
    public void TraceImmediate(RawFinding finding)
    {
        if (tracer is not null)
        {
            var trace = new TraceSink(tracer, finding.Rule, finding.Subject);
            trace.Subject(finding.Subject.Json?.Path);
            trace.Outcome(finding);
        }
    }

    private void Add(List<RawFinding> output, TraceSink? trace, CompiledRule rule, Outcome outcome, Subject subject, string detail,
        NormalizedPath? path, string? code)
    {
        // The detail is shared before the finding is made, so an equal text is never held twice.
        var finding = new RawFinding(rule, outcome, subject, details?.Share(detail) ?? detail, path, code);
        output.Add(finding);
        trace?.Outcome(finding);
    }

    private void RunCore(CompiledRule rule, Subject subject, List<RawFinding> output, TraceSink? trace)
    {
        // Evidence is resolved in stages, so that a subject the `where` filter excludes is NotApplicable even when
        // evidence only the assertion reads is missing: first what forEach and where need, the rest afterwards.
        var inputs = new Dictionary<string, ResolvedInput>(StringComparer.Ordinal);
        if (rule.ForEach is null)
        {
            if (ResolveInputs(rule, Stage.BeforeForEach, subject, null, inputs, output, trace))
            {
                EvaluateItem(rule, subject, null, inputs, output, trace, whereApplied: false);
            }

            return;
        }

        // A `where` that does not read the item (e.g. `input: account, path: $.OuPath`) decides for the subject before
        // forEach runs: an excluded account is NotApplicable even when the selection is empty (ifEmpty) or its
        // evidence is missing, and is reported once rather than once per item.
        var whereApplied = false;
        if (rule.Where is { } where && IsItemIndependent(rule))
        {
            if (!ResolveInputs(rule, Stage.Where, subject, null, inputs, output, trace) || !Applies(rule, where, subject, null, inputs, output, trace))
            {
                return;
            }

            whereApplied = true;
        }

        if (!ResolveInputs(rule, Stage.BeforeForEach, subject, null, inputs, output, trace))
        {
            return;
        }

        var forEach = rule.ForEach;

        var source = new EvaluationScope(snapshot, subject, null, inputs).Resolve(forEach.Input);
        if (source.Missing is { } missing)
        {
            Add(output, trace, rule, Outcome.InsufficientData, subject, missing, subject.Json?.Path, null);
            return;
        }

        var nodes = source.Value is { } root ? forEach.Path.Evaluate(root.Value) : JsonPath.NodeList.Empty;
        trace?.ForEach(forEach, source.Value?.Path, nodes);
        if (nodes.Count == 0)
        {
            var detail = forEach.IfEmptyMessage ?? $"{forEach.Path.Text} in {forEach.Input} selects nothing";
            Add(output, trace, rule, forEach.IfEmpty, subject, detail, source.Value?.Path, null);
            return;
        }

        foreach (var node in nodes)
        {
            var itemPath = source.Value!.Value.Path.Concat(node.Location);
            var item = new PathValue(node.Value, itemPath);
            var itemSubject = subject with { Resource = ItemId(forEach, node.Value) ?? itemPath.ToString() };
            EvaluateItem(rule, itemSubject, item, new Dictionary<string, ResolvedInput>(inputs, StringComparer.Ordinal), output,
                trace?.ForItem(itemSubject), whereApplied);
        }
    }

    /// <summary>
    /// Names the rule file's line and column of a predicate's run-time error, in place of the position within the
    /// predicate that the runtime gives (which reads as the file's line 1 to an author).
    /// </summary>
    private static string LocateError(string message, PredicateResult result, SourceLocation location)
    {
        var scriptPosition = PredicateResult.PositionSuffix(result.Line, result.Column);
        var text = message.EndsWith(scriptPosition, StringComparison.Ordinal) ? message[..^scriptPosition.Length] : message;
        return $"{text} (at {location.File}:{location.Line}:{location.Column})";
    }

    private static bool IsItemIndependent(InputDefinition input) => input.Parameters.All(p => p.Literal is not null);

    /// <summary>Whether the rule's `where` reads neither the forEach item (`subject`) nor an input resolved from it.</summary>
    private static bool IsItemIndependent(CompiledRule rule)
    {
        if (rule.WhereInputs.Contains("subject"))
        {
            return false;
        }

        foreach (var input in rule.Inputs)
        {
            if (rule.WhereInputs.Contains(input.Name) && !IsItemIndependent(input))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ItemId(ForEachDefinition forEach, JsonElement item)
    {
        if (forEach.Id is null)
        {
            return null;
        }

        var nodes = forEach.Id.Evaluate(item);
        return nodes.Count == 0 ? null : nodes[0].Value.ValueKind == JsonValueKind.String ? nodes[0].Value.GetString() : nodes[0].Value.GetRawText();
    }

    /// <summary>Which of a rule's inputs one call of <see cref="ResolveInputs"/> resolves.</summary>
    private enum Stage
    {
        /// <summary>Item-independent inputs that forEach or where read: before any item exists.</summary>
        BeforeForEach,

        /// <summary>The inputs where reads that are not resolved yet.</summary>
        Where,

        /// <summary>Every input not resolved yet.</summary>
        Rest,
    }

    private static bool InStage(CompiledRule rule, InputDefinition input, Stage stage, Dictionary<string, ResolvedInput> inputs) => stage switch
    {
        Stage.BeforeForEach => IsItemIndependent(input) &&
            (rule.WhereInputs.Contains(input.Name) || string.Equals(rule.ForEach?.Input, input.Name, StringComparison.Ordinal)),
        Stage.Where => rule.WhereInputs.Contains(input.Name) && !inputs.ContainsKey(input.Name),
        _ => !inputs.ContainsKey(input.Name),
    };

    /// <summary>Resolves one stage's inputs; on missing required evidence (or an error mapped to an outcome) emits the finding and returns false.</summary>
    private bool ResolveInputs(CompiledRule rule, Stage stage, Subject subject, PathValue? item,
        Dictionary<string, ResolvedInput> inputs, List<RawFinding> output, TraceSink? trace)
    {
        // Allocated only when something is missing: most subjects resolve every input.
        List<string>? problems = null;
        foreach (var input in rule.Inputs)
        {
            if (!InStage(rule, input, stage, inputs))
            {
                continue;
            }

            if (input.IsPerGovernedRegion)
            {
                // Read region by region by the predicate; each lookup brings its own InsufficientData.
                inputs[input.Name] = new ResolvedInput(null, null);
                continue;
            }

            var (record, problem) = InputResolver.Find(snapshot, input, subject, item);
            trace?.Input(input.Name, record, problem);
            if (record is null)
            {
                (problems ??= []).Add(problem!);
                continue;
            }

            switch (record.Status)
            {
                case Snapshots.EvidenceStatus.Ok:
                    inputs[input.Name] = new ResolvedInput(new PathValue(record.Response!.Value, record.ResponsePath), null);
                    break;
                case Snapshots.EvidenceStatus.Error when record.ErrorCode is { } code && input.MapError(code, record.ErrorMessage) is { } mapped:
                    Add(output, trace, rule, mapped, subject, $"{record.Key} returned {code}: {record.ErrorMessage}", record.Path, code);
                    return false;
                default:
                    if (input.Required)
                    {
                        (problems ??= []).Add(record.Describe());
                    }
                    else
                    {
                        inputs[input.Name] = new ResolvedInput(null, null);
                    }

                    break;
            }
        }

        if (problems is null)
        {
            return true;
        }

        Add(output, trace, rule, Outcome.InsufficientData, subject, "insufficient data: " + string.Join("; ", problems),
            subject.Json?.Path, null);
        return false;
    }

    /// <summary>Evaluates `where`; when it does not hold, emits the NotApplicable (or InsufficientData) finding and returns false.</summary>
    private bool Applies(CompiledRule rule, Condition where, Subject subject, PathValue? item, Dictionary<string, ResolvedInput> inputs,
        List<RawFinding> output, TraceSink? trace)
    {
        var subjectPath = item?.Path ?? subject.Json?.Path;
        // What held in a `where` is never reported (only a tracer shows it).
        var filter = ConditionEvaluator.Evaluate(where, new EvaluationScope(snapshot, subject, item, inputs, trace, describePasses: false), ConditionClause.Where);
        if (filter.Verdict == Verdict.Insufficient)
        {
            Add(output, trace, rule, Outcome.InsufficientData, subject, "insufficient data: " + filter.Detail, subjectPath, null);
            return false;
        }

        if (filter.Verdict == Verdict.Fails)
        {
            Add(output, trace, rule, Outcome.NotApplicable, subject, "out of scope: " + filter.Detail, filter.Location ?? subjectPath, null);
            return false;
        }

        return true;
    }

    private void EvaluateItem(CompiledRule rule, Subject subject, PathValue? item, Dictionary<string, ResolvedInput> inputs,
        List<RawFinding> output, TraceSink? trace, bool whereApplied)
    {
        var scope = new EvaluationScope(snapshot, subject, item, inputs, trace, passesListed);
        var subjectPath = item?.Path ?? subject.Json?.Path;
        if (rule.Where is { } where && !whereApplied)
        {
            if (!ResolveInputs(rule, Stage.Where, subject, item, inputs, output, trace) || !Applies(rule, where, subject, item, inputs, output, trace))
            {
                return;
            }
        }

        if (!ResolveInputs(rule, Stage.Rest, subject, item, inputs, output, trace))
        {
            return;
        }

        if (rule.Assert is { } assert)
        {
            var result = ConditionEvaluator.Evaluate(assert, scope, ConditionClause.Assert);
            var outcome = result.Verdict switch
            {
                Verdict.Holds => Outcome.Pass,
                Verdict.Fails => Outcome.Fail,
                _ => Outcome.InsufficientData,
            };
            var detail = outcome switch
            {
                Outcome.InsufficientData => "insufficient data: " + result.Detail,
                Outcome.Pass when result.Detail.Length > 0 => "passed: " + result.Detail,
                _ => result.Detail,
            };
            Add(output, trace, rule, outcome, subject, detail, result.Location ?? subjectPath, null);
            return;
        }

        if (rule.Predicate is { } predicate)
        {
            var context = new PredicateContext(snapshot, rule, subject, item, inputs, trace);
            var result = predicates.Run(predicate, context, cancellationToken);
            var errorLocation = result.Line > 0 && rule.PredicateOrigin is { } origin ? origin.Map(result.Line, result.Column) : null;
            trace?.Predicate(result, errorLocation);
            var outcome = result.Outcome switch
            {
                PredicateOutcome.Pass => Outcome.Pass,
                PredicateOutcome.Fail => Outcome.Fail,
                PredicateOutcome.NotApplicable => Outcome.NotApplicable,
                PredicateOutcome.InsufficientData => Outcome.InsufficientData,
                _ => Outcome.Error,
            };
            var path = subjectPath;
            if (result.Path is { } relative && JsonPath.JsonPathQuery.TryParse(relative, out var query, out _) && (item ?? subject.Json) is { } root)
            {
                var nodes = query.Evaluate(root.Value);
                if (nodes.Count > 0)
                {
                    path = root.Path.Concat(nodes[0].Location);
                }
            }

            var message = result.Message ?? string.Empty;
            if (errorLocation is not null)
            {
                message = LocateError(message, result, errorLocation);
            }

            Add(output, trace, rule, outcome, subject, message, path, result.ErrorCode);
        }
    }
}
