using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;
using EvidenceStatus = PolicyEngine.Core.Snapshots.EvidenceStatus;

namespace PolicyEngine.Core.Evaluation;

/// <summary>
/// Builds and sends the trace events of one rule for one subject (or forEach item). Created only when a tracer is
/// set, so the untraced path allocates nothing for tracing: call sites test for a sink first.
/// </summary>
internal sealed class TraceSink(IEvaluationTracer tracer, CompiledRule rule, Subject subject)
{
    private readonly FindingSubject _subject = subject.ToFindingSubject();

    /// <summary>A sink for a forEach item, whose subject names the item.</summary>
    public TraceSink ForItem(Subject itemSubject) => new(tracer, rule, itemSubject);

    public void Subject(NormalizedPath? path) =>
        tracer.Trace(new SubjectTrace { Rule = rule.Descriptor, Subject = _subject, Path = path });

    public void Input(string name, EvidenceRecord? record, string? problem, bool readByPredicate = false) =>
        tracer.Trace(new InputTrace
        {
            Rule = rule.Descriptor,
            Subject = _subject,
            Name = name,
            Key = record?.Key,
            Status = record?.Status ?? EvidenceStatus.Missing,
            ErrorCode = record?.ErrorCode,
            Detail = record is null ? problem : record.Status == EvidenceStatus.Ok ? null : record.ErrorMessage ?? record.Reason,
            Path = record is { Status: not EvidenceStatus.Missing } ? record.Path : null,
            ReadByPredicate = readByPredicate,
        });

    public void ForEach(ForEachDefinition forEach, NormalizedPath? basePath, NodeList nodes) =>
        tracer.Trace(new ForEachTrace { Rule = rule.Descriptor, Subject = _subject, ForEach = forEach, Items = Nodes(basePath, nodes) });

    public void Condition(Condition condition, ConditionClause clause, ConditionResult result, NormalizedPath? basePath, NodeList? nodes) =>
        tracer.Trace(new ConditionTrace
        {
            Rule = rule.Descriptor,
            Subject = _subject,
            Condition = condition,
            Clause = clause,
            Verdict = result.Verdict,
            Nodes = Nodes(basePath, nodes),
            Detail = result.Detail,
        });

    public void Predicate(PredicateResult result, Diagnostics.SourceLocation? errorLocation) =>
        tracer.Trace(new PredicateTrace { Rule = rule.Descriptor, Subject = _subject, Result = result, ErrorLocation = errorLocation });

    public void Outcome(RawFinding finding) =>
        tracer.Trace(new OutcomeTrace
        {
            Rule = rule.Descriptor,
            Subject = finding.Subject.ToFindingSubject(),
            Outcome = finding.Outcome,
            Message = MessageFormatter.Render(finding),
            Path = finding.Path,
            Code = finding.Code,
        });

    private static TracedNode[] Nodes(NormalizedPath? basePath, NodeList? nodes)
    {
        if (nodes is null || nodes.Count == 0)
        {
            return [];
        }

        var root = basePath ?? NormalizedPath.Root;
        var traced = new TracedNode[nodes.Count];
        for (var i = 0; i < traced.Length; i++)
        {
            traced[i] = new TracedNode(root.Concat(nodes[i].Location), nodes[i].Value);
        }

        return traced;
    }
}
