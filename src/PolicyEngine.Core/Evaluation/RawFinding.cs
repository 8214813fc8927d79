using PolicyEngine.Core.Rules.Model;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Evaluation;

/// <summary>A finding before severity, suppression and file positions are applied.</summary>
internal sealed record RawFinding(CompiledRule Rule, Outcome Outcome, Subject Subject, string Detail, NormalizedPath? Path, string? Code);
