using System.Text.Json;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Evaluation;

/// <summary>A JSON value together with its path in the snapshot (cfn-guard's path-aware value).</summary>
/// <param name="Value">The value.</param>
/// <param name="Path">Its normalized path from the snapshot root.</param>
internal readonly record struct PathValue(JsonElement Value, NormalizedPath Path);

/// <summary>One thing a rule is dispatched to.</summary>
internal sealed record Subject
{
    public required TargetKind Kind { get; init; }

    public SnapshotAccount? Account { get; init; }

    public string? AccountId { get; init; }

    public string? Region { get; init; }

    public string? Resource { get; init; }

    /// <summary>The subject's JSON (account object, organization section, item, response), when it has one.</summary>
    public PathValue? Json { get; init; }

    public FindingSubject ToFindingSubject() => new()
    {
        Kind = Kind,
        Account = AccountId,
        AccountName = Account?.Name,
        OuPath = Account?.OuPath,
        Region = Region,
        Resource = Resource,
    };
}
