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

    // Findings of many rules share one subject (an account and region, an evidence record): the report's view of it
    // is made once and shared, instead of once per finding (millions in a 10,000-account organization).
    private FindingSubject? _findingSubject;

    /// <summary>A copy for <c>with</c>: the copy's report view is made anew, since its members may differ.</summary>
    private Subject(Subject original)
    {
        Kind = original.Kind;
        Account = original.Account;
        AccountId = original.AccountId;
        Region = original.Region;
        Resource = original.Resource;
        Json = original.Json;
    }

    /// <summary>Equal when every member is (the cached report view does not count).</summary>
    public bool Equals(Subject? other) =>
        other is not null && Kind == other.Kind && Account == other.Account && AccountId == other.AccountId && Region == other.Region
        && Resource == other.Resource && Nullable.Equals(Json, other.Json);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Account, AccountId, Region, Resource, Json);

    public FindingSubject ToFindingSubject() => _findingSubject ??= new()
    {
        Kind = Kind,
        Account = AccountId,
        AccountName = Account?.Name,
        OuPath = Account?.OuPath,
        Region = Region,
        Resource = Resource,
    };
}
