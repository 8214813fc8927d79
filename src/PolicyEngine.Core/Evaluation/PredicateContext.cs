using System.Text.Json;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Scripting;
using ScriptEvidenceStatus = PolicyEngine.Scripting.EvidenceStatus;

namespace PolicyEngine.Core.Evaluation;

/// <summary>
/// What a JavaScript predicate sees of the snapshot: the subject, its account and roles, the organization, and
/// lookups limited to the evidence the rule declared, so the evidence matrix stays complete.
/// </summary>
internal sealed class PredicateContext : IPredicateContext
{
    private readonly Snapshot _snapshot;
    private readonly CompiledRule _rule;
    private readonly Subject _subject;
    private readonly TraceSink? _trace;

    public PredicateContext(Snapshot snapshot, CompiledRule rule, Subject subject, PathValue? item, IReadOnlyDictionary<string, ResolvedInput> inputs,
        TraceSink? trace = null)
    {
        _snapshot = snapshot;
        _trace = trace;
        _rule = rule;
        _subject = subject;
        Subject = (item ?? subject.Json)?.Value ?? EmptyObject;
        Inputs = rule.Inputs.ToDictionary(
            i => i.Name,
            i => inputs.TryGetValue(i.Name, out var resolved) && resolved.Value is { } value
                ? new EvidenceView(ScriptEvidenceStatus.Ok, value.Value, null, null, i.Operation.ToString())
                : new EvidenceView(ScriptEvidenceStatus.Missing, null, null, null, i.Operation.ToString()),
            StringComparer.Ordinal);
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    public JsonElement Subject { get; }

    public string? Account => _subject.AccountId;

    public string? Region => _subject.Region;

    public IReadOnlyList<string> Roles => _subject.Account?.Roles ?? [];

    public object? SharedSections => _snapshot;

    public JsonElement? Organization => _snapshot.Organization;

    public JsonElement? AccountRoles => _snapshot.RolesSection;

    public IReadOnlyList<string>? ActiveAccountIds => _snapshot.ActiveAccountIds;

    public IReadOnlyList<string> GovernedRegions => _snapshot.GovernedRegions ?? [];

    public DateTimeOffset? CollectedAt => _snapshot.CollectedAt;

    public IReadOnlyDictionary<string, EvidenceView> Inputs { get; }

    public EvidenceView Evidence(string inputName, string? account, string? region, IReadOnlyDictionary<string, string>? parameters)
    {
        var input = _rule.Inputs.FirstOrDefault(i => string.Equals(i.Name, inputName, StringComparison.Ordinal));
        if (input is null)
        {
            return new EvidenceView(ScriptEvidenceStatus.Missing, null, "UndeclaredInput",
                $"input '{inputName}' is not declared by rule {_rule.Descriptor.Id}; declare it under 'inputs'", inputName);
        }

        var accountId = account ?? (input.Account == "subject" ? _subject.AccountId
            : SraRoles.IsRole(input.Account) ? _snapshot.RoleAccounts.GetValueOrDefault(input.Account)?.Order(StringComparer.Ordinal).FirstOrDefault()
            : input.Account);
        if (region is null && input.IsPerGovernedRegion)
        {
            return new EvidenceView(ScriptEvidenceStatus.Missing, null, "RegionRequired",
                $"input '{inputName}' is declared per governed region; pass {{ region }} to ctx.evidence", inputName);
        }

        var regionName = region ?? (input.Region == "subject" ? _subject.Region ?? "global" : input.Region);
        var parameterPairs = parameters?.ToList() ??
                             input.Parameters.Where(p => p.Literal is not null)
                                 .Select(p => new KeyValuePair<string, string>(p.Name, EvidenceParameters.Expand(p.Literal!, accountId, regionName))).ToList();
        var key = new EvidenceKey(input.Operation.Service, input.Operation.Operation, accountId ?? string.Empty, regionName,
            EvidenceKey.CanonicalParameters(parameterPairs));
        var record = _snapshot.FindEvidence(key);
        _trace?.Input(inputName, record, null, readByPredicate: true);
        var status = record.Status switch
        {
            Snapshots.EvidenceStatus.Ok => ScriptEvidenceStatus.Ok,
            Snapshots.EvidenceStatus.Error => ScriptEvidenceStatus.Error,
            Snapshots.EvidenceStatus.NotCollected => ScriptEvidenceStatus.NotCollected,
            _ => ScriptEvidenceStatus.Missing,
        };
        return new EvidenceView(status, record.Response, record.ErrorCode, record.ErrorMessage ?? record.Reason, key.ToString());
    }

    public IReadOnlyList<JsonElement> Resources(string resourceType) =>
        _snapshot.ResourcesOfTypeInEveryAccount(resourceType).Select(r => r.Element).ToArray();

    public string? ResourcesNotCollected => _snapshot.ResourcesNotCollected?.Reason;

    public string? ResourcesIncomplete(string resourceType)
    {
        if (_snapshot.ResourceCoverage is not { } coverage)
        {
            return null;
        }

        if (coverage.ResourceTypes is { } types && !types.Contains(resourceType))
        {
            return $"{resourceType} was not among the resource types collected";
        }

        var gaps = coverage.Entries.Where(e => e.Status != Snapshots.ResourceCollectionStatus.Collected).ToList();
        return gaps.Count == 0 ? null
            : $"the resources of account {gaps[0].Account} in {gaps[0].Region} were {(gaps[0].Status == Snapshots.ResourceCollectionStatus.Partial ? "only partly collected" : "not collected")}"
              + (gaps.Count > 1 ? $" (and in {gaps.Count - 1} more account and region pairs)" : string.Empty);
    }
}
