using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text.Json;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// A loaded, indexed snapshot. It is read-only and indexed once, at load: evidence by key and by operation,
/// resources by type, accounts and roles. Evaluation queries the <see cref="JsonDocument"/> in place and never
/// copies it. Thread-safe for reading.
/// </summary>
public sealed class Snapshot : IDisposable
{
    private readonly JsonDocument _document;
    // Plain dictionaries for the large indexes: a frozen dictionary of 170,000 keys costs more to build than it saves on lookups.
    private readonly Dictionary<EvidenceKey, EvidenceRecord> _evidence;
    private readonly Dictionary<(string Service, string Operation, string Account, string Region), (int Unfilled, EvidenceRecord[] Records)> _evidenceByCall;
    private readonly FrozenDictionary<string, SnapshotResource[]> _resourcesByType;
    private readonly Dictionary<string, SnapshotAccount> _accountsById;

    private readonly SnapshotPart? _part;

    /// <summary>What holds <see cref="Utf8"/> when it is not an array (a mapped file), disposed with the snapshot.</summary>
    private IDisposable? _bytesOwner;

    internal Snapshot(string file, ReadOnlyMemory<byte> utf8, JsonDocument document, SnapshotIndex index, SnapshotPart? part = null)
    {
        File = file;
        Utf8 = utf8;
        _document = document;
        _part = part;
        Locator = new SnapshotLocator(utf8, document.RootElement, part);
        CollectedAt = index.CollectedAt;
        Organization = index.Organization;
        RolesSection = index.Roles;
        Accounts = index.Accounts;
        GovernedRegions = index.GovernedRegions;
        RoleAccounts = index.RoleAccounts;
        Evidence = index.Evidence;
        Resources = index.Resources;
        ResourcesNotCollected = index.ResourcesNotCollected;
        ResourceCoverage = index.ResourceCoverage;
        _evidence = index.EvidenceByKey;
        _evidenceByCall = ByCall(index.Evidence);
        _resourcesByType = index.Resources.GroupBy(r => r.Type, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _accountsById = (index.Accounts ?? []).ToDictionary(a => a.Id, StringComparer.Ordinal);
        ActiveAccountIds = index.Accounts?.Where(a => a.IsActive).Select(a => a.Id).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The file the snapshot came from, as the user named it.</summary>
    public string File { get; }

    /// <summary>The snapshot's UTF-8 bytes (kept to map paths to line:column).</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>Maps normalized paths to positions in <see cref="File"/>.</summary>
    public SnapshotLocator Locator { get; }

    /// <summary>The document root.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>When the snapshot was taken; "now" for every time-window check, so results are reproducible.</summary>
    public DateTimeOffset? CollectedAt { get; }

    /// <summary>The organization section, or null when it was not collected.</summary>
    public JsonElement? Organization { get; }

    /// <summary>The roles section, or null.</summary>
    public JsonElement? RolesSection { get; }

    /// <summary>The accounts, or null when the organization's account list was not collected.</summary>
    public IReadOnlyList<SnapshotAccount>? Accounts { get; }

    /// <summary>The ids of the ACTIVE accounts, sorted (ordinal); null when the organization's account list was not collected.</summary>
    public IReadOnlyList<string>? ActiveAccountIds { get; }

    /// <summary>The governed regions, or null when the snapshot does not say.</summary>
    public IReadOnlyList<string>? GovernedRegions { get; }

    /// <summary>Account ids per SRA role.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RoleAccounts { get; }

    /// <summary>Every evidence record, in file order.</summary>
    public IReadOnlyList<EvidenceRecord> Evidence { get; }

    /// <summary>Every configuration item, in file order.</summary>
    public IReadOnlyList<SnapshotResource> Resources { get; }

    /// <summary>
    /// Null when the snapshot's AWS Config resources were collected; otherwise why not (no <c>resources</c> section,
    /// or <c>coverage.sections.resources: notCollected</c>) and where that is written. Resource rules then give
    /// InsufficientData: an uncollected section is not an empty one.
    /// </summary>
    public (string Reason, NormalizedPath? Path)? ResourcesNotCollected { get; }

    /// <summary>
    /// <c>coverage.resources</c>: the resource types asked for and, per account and region, whether the items were
    /// collected; null when the snapshot does not say (imported snapshots), in which case the resources present are all there is.
    /// </summary>
    public ResourceCoverage? ResourceCoverage { get; }

    /// <summary>
    /// The part of a larger file this snapshot is (<see cref="SnapshotParts"/>), or null for a whole snapshot; which
    /// part, when one. A part holds the evidence of some accounts only.
    /// </summary>
    public int? Part => _part?.Index;

    /// <summary>
    /// True when this snapshot is a part and a lookup asked for records another part holds: evidence of an account it
    /// does not hold, or every account's configuration items. Such an evaluation is not the file's, and must be made
    /// over the whole snapshot. Always false for a whole snapshot.
    /// </summary>
    public bool ReadOutsidePart => _part?.ReadOutside ?? false;

    /// <summary>Finds an evidence record; a record with status Missing when there is none.</summary>
    public EvidenceRecord FindEvidence(EvidenceKey key)
    {
        _part?.Check(key.Service, key.Operation, key.Account);
        return _evidence.TryGetValue(key, out var record)
            ? record
            : new EvidenceRecord(key, EvidenceStatus.Missing, null, null, null, null, NormalizedPath.Root);
    }

    /// <summary>All records of one operation, in file order. A scan, not an index: evaluation looks records up by key or by (operation, account, region).</summary>
    public IReadOnlyList<EvidenceRecord> EvidenceFor(string service, string operation)
    {
        // Every account's records: a part holds some accounts' only.
        _part?.CheckAllEvidence();
        return [.. Evidence.Where(e => string.Equals(e.Key.Service, service, StringComparison.Ordinal) && string.Equals(e.Key.Operation, operation, StringComparison.Ordinal))];
    }

    /// <summary>
    /// The records of one operation in one account and region (one per parameter set), in file order. Evidence rules
    /// are dispatched per (account, region), so this is an index built at load: filtering every record of the operation
    /// for each made dispatch grow with the square of the accounts.
    /// </summary>
    public IReadOnlyList<EvidenceRecord> EvidenceFor(string service, string operation, string account, string region)
    {
        _part?.Check(service, operation, account);
        return _evidenceByCall.TryGetValue((service, operation, account, region), out var call) ? call.Records : [];
    }

    /// <summary>
    /// The records of each (service, operation, account, region), in file order: counted (Unfilled), then filled, in one
    /// dictionary. Grouping them with LINQ made a grouping and a growing buffer per call only to copy them: 1.4 million
    /// of each at 10,000 accounts.
    /// </summary>
    private static Dictionary<(string, string, string, string), (int Unfilled, EvidenceRecord[] Records)> ByCall(IReadOnlyList<EvidenceRecord> evidence)
    {
        var byCall = new Dictionary<(string, string, string, string), (int Unfilled, EvidenceRecord[] Records)>();
        foreach (var record in evidence)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(byCall, Call(record), out _).Unfilled++;
        }

        foreach (var record in evidence)
        {
            ref var call = ref CollectionsMarshal.GetValueRefOrNullRef(byCall, Call(record));
            call.Records ??= new EvidenceRecord[call.Unfilled];
            call.Records[^call.Unfilled--] = record;
        }

        return byCall;

        static (string, string, string, string) Call(EvidenceRecord record) => (record.Key.Service, record.Key.Operation, record.Key.Account, record.Key.Region);
    }

    /// <summary>All configuration items of one type (in a part, those of the accounts the part holds).</summary>
    public IReadOnlyList<SnapshotResource> ResourcesOfType(string type) =>
        _resourcesByType.TryGetValue(type, out var items) ? items : [];

    /// <summary>
    /// All configuration items of one type, of every account, for a rule that reads across accounts; a part that
    /// lacks some notes it (<see cref="ReadOutsidePart"/>).
    /// </summary>
    public IReadOnlyList<SnapshotResource> ResourcesOfTypeInEveryAccount(string type)
    {
        _part?.CheckAllResources();
        return ResourcesOfType(type);
    }

    /// <summary>Whether the snapshot file has configuration items of <paramref name="type"/> (a part: in any part).</summary>
    public bool HasResourcesOfType(string type) => _part?.HasResourcesOfType(type) ?? _resourcesByType.ContainsKey(type);

    /// <summary>Finds an account by id.</summary>
    public SnapshotAccount? FindAccount(string id) => _accountsById.GetValueOrDefault(id);

    /// <summary>Makes the snapshot dispose <paramref name="owner"/>, which holds its bytes, when it is disposed.</summary>
    internal void Keep(IDisposable? owner) => _bytesOwner = owner;

    /// <inheritdoc/>
    public void Dispose()
    {
        _document.Dispose();
        _bytesOwner?.Dispose();
        _bytesOwner = null;
        if (_part is not null)
        {
            // A part's index is let go with it, even if something still refers to the snapshot (see SnapshotParts).
            _evidence.Clear();
            _evidence.TrimExcess();
            _evidenceByCall.Clear();
            _evidenceByCall.TrimExcess();
            (Evidence as List<EvidenceRecord>)?.Clear();
            (Evidence as List<EvidenceRecord>)?.TrimExcess();
        }
    }
}

/// <summary>What the loader extracted from a snapshot document.</summary>
internal sealed record SnapshotIndex(
    DateTimeOffset? CollectedAt,
    JsonElement? Organization,
    JsonElement? Roles,
    IReadOnlyList<SnapshotAccount>? Accounts,
    IReadOnlyList<string>? GovernedRegions,
    IReadOnlyDictionary<string, IReadOnlyList<string>> RoleAccounts,
    IReadOnlyList<EvidenceRecord> Evidence,
    Dictionary<EvidenceKey, EvidenceRecord> EvidenceByKey,
    IReadOnlyList<SnapshotResource> Resources,
    (string Reason, NormalizedPath? Path)? ResourcesNotCollected,
    ResourceCoverage? ResourceCoverage);
