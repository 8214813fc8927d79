using System.Security.Cryptography;
using System.Text.Json;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Aws.Merge;

/// <summary>What a snapshot merge wrote.</summary>
/// <param name="OutputPath">The merged snapshot's full path.</param>
/// <param name="Inputs">How many snapshots were merged.</param>
/// <param name="EvidenceRecords">Evidence records in the merged snapshot.</param>
/// <param name="Resources">Configuration items in the merged snapshot.</param>
/// <param name="DuplicatesDropped">Records and items that more than one input held identically, written once.</param>
public sealed record SnapshotMergeResult(string OutputPath, int Inputs, int EvidenceRecords, int Resources, int DuplicatesDropped);

/// <summary>
/// <c>policy-engine merge SNAPSHOT...</c>: one snapshot from several parts of one organization's state, such as the
/// shards of <c>collect --shard</c>, or a live snapshot plus <c>import</c>ed Config files. The result depends only on
/// the set of inputs, never on their order: inputs are taken in the order of their content's SHA-256, every list is
/// sorted, and what two inputs both hold must agree. Evidence whose key two inputs hold with different contents, a
/// configuration item captured at the same time with different contents, and organizations, partitions, roles or
/// enabled regions that differ are refused (PE4040-PE4042) at the later input's line and column, naming the earlier
/// one: a merge never picks a side silently. The one exception is <c>notCollected</c>, which says that a part did not
/// collect a record, so another part's answer for the same key replaces it.
/// </summary>
public static class SnapshotMerger
{
    // The collector's order: role names sorted ordinally.
    private static readonly string[] RoleNames = [.. RoleAssignments.Names.Order(StringComparer.Ordinal)];

    /// <summary>Merges the snapshots and writes the result atomically (gzip when the path ends in <c>.gz</c>).</summary>
    /// <returns>What was written, or null when an input did not load or the inputs conflict (see the diagnostics).</returns>
    public static SnapshotMergeResult? Merge(IReadOnlyList<string> inputPaths, string outputPath, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(inputPaths);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var loaded = new List<Part>();
        try
        {
            foreach (var path in inputPaths)
            {
                if (SnapshotLoader.LoadFile(path, diagnostics) is { } snapshot)
                {
                    loaded.Add(new Part(path, snapshot, Convert.ToHexStringLower(SHA256.HashData(snapshot.Utf8.Span))));
                }
            }

            if (loaded.Count != inputPaths.Count)
            {
                return null;
            }

            // The same file named twice, or two copies of it, is one part: merging it with itself changes nothing.
            var parts = loaded.GroupBy(p => p.Digest, StringComparer.Ordinal).Select(g => g.First()).OrderBy(p => p.Digest, StringComparer.Ordinal).ToList();
            var merge = new Merging(parts);
            merge.Run();
            merge.ReportConflicts(diagnostics);
            if (merge.Conflicts.Count > 0)
            {
                return null;
            }

            SnapshotFile.Write(outputPath, outputPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), merge.Write);
            return new SnapshotMergeResult(Path.GetFullPath(outputPath), parts.Count, merge.Evidence.Count, merge.Resources.Count, merge.DuplicatesDropped);
        }
        finally
        {
            foreach (var part in loaded)
            {
                part.Snapshot.Dispose();
            }
        }
    }

    private sealed record Part(string File, Snapshot Snapshot, string Digest)
    {
        public JsonElement Root => Snapshot.Root;
    }

    /// <summary>An element of one part, where it is.</summary>
    private readonly record struct Held(Part Part, JsonElement Element, NormalizedPath Path);

    /// <summary>A disagreement: the later part's element, the earlier part's, and what they disagree about.</summary>
    private sealed record Conflict(string Code, Held Later, Held Earlier, string What, string Fix);

    private sealed class Merging(List<Part> parts)
    {
        private static readonly NormalizedPath EvidencePath = NormalizedPath.Root.Append("evidence");
        private static readonly NormalizedPath ResourcesPath = NormalizedPath.Root.Append("resources");

        private Held? _organization;
        private Held? _partition;
        private readonly SortedDictionary<(string Role, string Account), Held> _roles = new();
        private readonly SortedSet<string> _governed = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, Held> _enabledByAccount = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _roleNotAssumed = new(StringComparer.Ordinal);

        public SortedDictionary<EvidenceKey, (Held Held, EvidenceStatus Status)> Evidence { get; } = new(KeyOrder.Instance);

        public SortedDictionary<string, Held> Resources { get; } = new(StringComparer.Ordinal);

        public List<Conflict> Conflicts { get; } = [];

        public int DuplicatesDropped { get; private set; }

        public void Run()
        {
            foreach (var part in parts)
            {
                MergeMetadata(part);
                MergeOrganization(part);
                MergeRoles(part);
                MergeRegions(part);
                MergeEvidence(part);
                MergeResources(part);
                if (Member(part.Root, "coverage", "accounts", "roleNotAssumed") is { ValueKind: JsonValueKind.Array } failed)
                {
                    foreach (var account in failed.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String))
                    {
                        _roleNotAssumed.Add(account.GetString()!);
                    }
                }
            }
        }

        private void MergeMetadata(Part part)
        {
            if (Member(part.Root, "metadata", "partition") is { ValueKind: JsonValueKind.String } partition && partition.GetString()!.Length > 0)
            {
                var held = new Held(part, partition, NormalizedPath.Root.Append("metadata").Append("partition"));
                if (_partition is not { } earlier)
                {
                    _partition = held;
                }
                else if (!string.Equals(earlier.Element.GetString(), partition.GetString(), StringComparison.Ordinal))
                {
                    Conflicts.Add(new Conflict(DiagnosticCodes.SnapshotMergeSectionConflict, held, earlier,
                        $"the partition '{partition.GetString()}' differs from '{earlier.Element.GetString()}'",
                        "merge snapshots of one partition only"));
                }
            }
        }

        private void MergeOrganization(Part part)
        {
            if (part.Snapshot.Organization is not { } organization)
            {
                return;
            }

            var held = new Held(part, organization, NormalizedPath.Root.Append("organization"));
            if (_organization is not { } earlier)
            {
                _organization = held;
            }
            else if (!JsonElement.DeepEquals(earlier.Element, organization))
            {
                Conflicts.Add(new Conflict(DiagnosticCodes.SnapshotMergeSectionConflict, held, earlier,
                    "the organization section differs (accounts, OUs, policies or delegated administrators changed between the collections)",
                    "collect the parts again close together, or merge only parts collected from the same state of the organization"));
            }
        }

        private void MergeRoles(Part part)
        {
            if (part.Snapshot.RolesSection is not { ValueKind: JsonValueKind.Object } roles)
            {
                return;
            }

            foreach (var role in roles.EnumerateObject())
            {
                if (role.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var i = 0;
                foreach (var assignment in role.Value.EnumerateArray())
                {
                    var path = NormalizedPath.Root.Append("roles").Append(role.Name).Append(i++);
                    var account = assignment.GetProperty("accountId").GetString()!;
                    var held = new Held(part, assignment, path);
                    if (!_roles.TryGetValue((role.Name, account), out var earlier))
                    {
                        _roles[(role.Name, account)] = held;
                    }
                    else if (!JsonElement.DeepEquals(earlier.Element, assignment))
                    {
                        Conflicts.Add(new Conflict(DiagnosticCodes.SnapshotMergeSectionConflict, held, earlier,
                            $"the {role.Name} assignment of account {account} differs ({Compact(assignment)} against {Compact(earlier.Element)})",
                            "collect every part with the same role flags (--management-account, --security-tooling-account, --log-archive-account, ...)"));
                    }
                }
            }
        }

        private void MergeRegions(Part part)
        {
            foreach (var region in part.Snapshot.GovernedRegions ?? [])
            {
                _governed.Add(region);
            }

            if (Member(part.Root, "regions", "enabledByAccount") is not { ValueKind: JsonValueKind.Object } enabled)
            {
                return;
            }

            foreach (var account in enabled.EnumerateObject())
            {
                var held = new Held(part, account.Value, NormalizedPath.Root.Append("regions").Append("enabledByAccount").Append(account.Name));
                if (!_enabledByAccount.TryGetValue(account.Name, out var earlier))
                {
                    _enabledByAccount[account.Name] = held;
                }
                else if (!JsonElement.DeepEquals(earlier.Element, account.Value))
                {
                    Conflicts.Add(new Conflict(DiagnosticCodes.SnapshotMergeSectionConflict, held, earlier,
                        $"the enabled regions of account {account.Name} differ ({Compact(account.Value)} against {Compact(earlier.Element)})",
                        "collect the parts again close together, or leave the account to one part (collect --account or --shard)"));
                }
            }
        }

        private void MergeEvidence(Part part)
        {
            var records = part.Root.TryGetProperty("evidence", out var array) && array.ValueKind == JsonValueKind.Array ? array : default;
            foreach (var record in part.Snapshot.Evidence)
            {
                var index = record.Path.Segments[^1].Index;
                var held = new Held(part, records[index], EvidencePath.Append(index));
                if (!Evidence.TryGetValue(record.Key, out var earlier))
                {
                    Evidence[record.Key] = (held, record.Status);
                }
                else if (JsonElement.DeepEquals(earlier.Held.Element, held.Element))
                {
                    DuplicatesDropped++;
                }
                else if (earlier.Status == EvidenceStatus.NotCollected || record.Status == EvidenceStatus.NotCollected)
                {
                    // notCollected says "this part did not make the call": the part that made it has the answer.
                    DuplicatesDropped++;
                    if (earlier.Status == EvidenceStatus.NotCollected)
                    {
                        Evidence[record.Key] = (held, record.Status);
                    }
                }
                else
                {
                    Conflicts.Add(new Conflict(DiagnosticCodes.SnapshotMergeEvidenceConflict, held, earlier.Held,
                        $"the evidence record {record.Key} differs ({Describe(record.Status)} against {Describe(earlier.Status)})",
                        "merge parts that collected different accounts or regions (collect --shard, --account); to replace old evidence, collect that part again instead of merging"));
                }
            }
        }

        private void MergeResources(Part part)
        {
            if (part.Snapshot.ResourcesNotCollected is not null)
            {
                return;
            }

            foreach (var resource in part.Snapshot.Resources)
            {
                var key = string.Join('|', resource.Account, resource.Region, resource.Type, resource.Id,
                    resource.Element.TryGetProperty("configurationItemCaptureTime", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : string.Empty);
                var held = new Held(part, resource.Element, resource.Path);
                if (!Resources.TryGetValue(key, out var earlier))
                {
                    Resources[key] = held;
                }
                else if (JsonElement.DeepEquals(earlier.Element, resource.Element))
                {
                    DuplicatesDropped++;
                }
                else
                {
                    Conflicts.Add(new Conflict(DiagnosticCodes.SnapshotMergeResourceConflict, held, earlier,
                        $"the configuration item {resource.Type} {resource.Id} of account {resource.Account} in {resource.Region}, captured at the same time, differs",
                        "import each Config export once; items of one resource captured at different times are kept side by side"));
                }
            }
        }

        public void ReportConflicts(ICollection<Diagnostic> diagnostics)
        {
            // Positions are found with one pass over each part's text, for all its conflicting elements at once.
            var positions = Conflicts.SelectMany(c => new[] { c.Later, c.Earlier })
                .GroupBy(h => h.Part)
                .ToDictionary(g => g.Key, g => g.Key.Snapshot.Locator.Locate(g.Select(h => h.Path).Distinct()));
            foreach (var conflict in Conflicts)
            {
                var (line, column) = positions[conflict.Later.Part].GetValueOrDefault(conflict.Later.Path);
                var (earlierLine, earlierColumn) = positions[conflict.Earlier.Part].GetValueOrDefault(conflict.Earlier.Path);
                diagnostics.Add(Diagnostic.Error(conflict.Code, new SourceLocation(conflict.Later.Part.File, line, column),
                    $"Cannot merge: {conflict.What} from {conflict.Earlier.Part.File}:{earlierLine}:{earlierColumn}. Fix: {conflict.Fix}."));
            }
        }

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("formatVersion", "1.0");
            var callers = parts.Select(p => Member(p.Root, "metadata", "callerAccountId")?.GetString() ?? string.Empty).Where(c => c.Length > 0).Distinct().ToList();
            var collectedAt = parts.Select(p => p.Snapshot.CollectedAt).Where(t => t is not null).Max();
            // The latest part's time: maxAgeHours then measures ages from the newest collection, so a merge can make
            // evidence look older than it was, never fresher.
            SnapshotJsonWriter.WriteMetadata(w, _partition?.Element.GetString() ?? "aws", callers.Count == 1 ? callers[0] : string.Empty, "merge",
                collectedAt?.UtcDateTime, WriteMergedFrom);
            if (_organization is { } organization)
            {
                w.WritePropertyName("organization");
                organization.Element.WriteTo(w);
            }

            w.WritePropertyName("roles");
            w.WriteStartObject();
            foreach (var role in RoleNames)
            {
                w.WritePropertyName(role);
                w.WriteStartArray();
                foreach (var ((r, _), held) in _roles.Where(kv => kv.Key.Role == role))
                {
                    held.Element.WriteTo(w);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WritePropertyName("regions");
            w.WriteStartObject();
            w.WritePropertyName("governed");
            w.WriteStartArray();
            foreach (var region in _governed)
            {
                w.WriteStringValue(region);
            }

            w.WriteEndArray();
            w.WritePropertyName("enabledByAccount");
            w.WriteStartObject();
            foreach (var (account, held) in _enabledByAccount)
            {
                w.WritePropertyName(account);
                held.Element.WriteTo(w);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WritePropertyName("evidence");
            w.WriteStartArray();
            foreach (var (held, _) in Evidence.Values)
            {
                held.Element.WriteTo(w);
                w.FlushWhenFull();
            }

            w.WriteEndArray();
            var resourcesCollected = parts.Any(p => p.Snapshot.ResourcesNotCollected is null);
            w.WritePropertyName("resources");
            w.WriteStartArray();
            foreach (var held in Resources.Values)
            {
                held.Element.WriteTo(w);
                w.FlushWhenFull();
            }

            w.WriteEndArray();
            w.WritePropertyName("coverage");
            SnapshotJsonWriter.WriteCoverage(w, Coverage(), resourcesCollected, MergedInventory());
            w.WriteEndObject();
        }

        /// <summary>
        /// The live inventories' coverage, merged: an account and region counts as collected when some part collected it
        /// (the best status wins, with its reason), and only the types every live part asked for count as collected, so
        /// that no merge turns an uncollected type or region into an empty one. Null when no part has an inventory.
        /// </summary>
        private InventoryCoverage? MergedInventory()
        {
            var live = parts.Select(p => p.Snapshot).Where(s => s.ResourcesNotCollected is null && s.ResourceCoverage is not null).ToList();
            if (live.Count == 0)
            {
                return null;
            }

            IEnumerable<string>? types = null;
            foreach (var coverage in live.Select(s => s.ResourceCoverage!).Where(c => c.ResourceTypes is not null))
            {
                types = types is null ? coverage.ResourceTypes! : types.Intersect(coverage.ResourceTypes!, StringComparer.Ordinal);
            }

            var merged = new InventoryCoverage { ResourceTypes = [.. (types ?? []).Order(StringComparer.Ordinal)] };
            static int Rank(ResourceCollectionStatus s) => s switch { ResourceCollectionStatus.Collected => 2, ResourceCollectionStatus.Partial => 1, _ => 0 };
            var best = new Dictionary<(string, string), ResourceCoverageEntry>();
            foreach (var entry in live.SelectMany(s => s.ResourceCoverage!.Entries))
            {
                var key = (entry.Account, entry.Region);
                if (!best.TryGetValue(key, out var earlier) || Rank(entry.Status) > Rank(earlier.Status))
                {
                    best[key] = entry;
                }
            }

            foreach (var ((account, region), entry) in best)
            {
                var pair = merged.Pair(account, region);
                pair.Status = ResourceCoverage.Word(entry.Status);
                pair.Reason = entry.Reason;
                pair.Via = Member(live.First(s => s.ResourceCoverage!.Entries.Contains(entry)).Root, "coverage", "resources", "byAccount", account, region, "via")?.GetString() ?? InventoryCoverage.PerAccount;
                pair.Items = Member(live.First(s => s.ResourceCoverage!.Entries.Contains(entry)).Root, "coverage", "resources", "byAccount", account, region, "items") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : 0;
            }

            var aggregators = live.Select(s => Member(s.Root, "coverage", "resources", "aggregator")?.GetString()).Distinct().ToList();
            merged.AggregatorName = aggregators.Count == 1 ? aggregators[0] : null;
            return merged;
        }

        private void WriteMergedFrom(Utf8JsonWriter w)
        {
            // What went in, in digest order: file names are left out, so where the parts were stored does not change the bytes.
            w.WritePropertyName("mergedFrom");
            w.WriteStartArray();
            foreach (var part in parts)
            {
                w.WriteStartObject();
                w.WriteString("sha256", part.Digest);
                w.WriteString("source", Member(part.Root, "metadata", "source")?.GetString() ?? string.Empty);
                w.WriteString("collectedAt", Member(part.Root, "metadata", "collectedAt")?.GetString() ?? string.Empty);
                w.WriteString("callerAccountId", Member(part.Root, "metadata", "callerAccountId")?.GetString() ?? string.Empty);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        /// <summary>Counts of the merged records, as the collector counts its own.</summary>
        private CoverageSummary Coverage()
        {
            var coverage = new CoverageSummary
            {
                OrganizationCollected = _organization is { } o && o.Element.TryGetProperty("organization", out _),
                OrganizationStandalone = _organization is { } s && !s.Element.TryGetProperty("organization", out _),
            };
            var accounts = new SortedSet<string>(_roleNotAssumed, StringComparer.Ordinal);
            foreach (var (key, (_, status)) in Evidence)
            {
                coverage.Count(key.Service, key.Account, status switch
                {
                    EvidenceStatus.Ok => "ok",
                    EvidenceStatus.Error => "error",
                    _ => "notCollected",
                });
                accounts.Add(key.Account);
            }

            coverage.AccountsActive = accounts.Count;
            foreach (var account in _roleNotAssumed)
            {
                coverage.AccountsFailed.Add(account);
            }

            return coverage;
        }

        private static string Describe(EvidenceStatus status) => status switch
        {
            EvidenceStatus.Ok => "an ok answer",
            EvidenceStatus.Error => "an error",
            _ => status.ToString(),
        };

        private static string Compact(JsonElement element)
        {
            var text = element.GetRawText().ReplaceLineEndings(" ");
            return text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");
        }
    }

    private static JsonElement? Member(JsonElement root, params string[] names)
    {
        var current = root;
        foreach (var name in names)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Evidence in the collector's order: service, operation, account, region, then parameters.</summary>
    private sealed class KeyOrder : IComparer<EvidenceKey>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare(EvidenceKey x, EvidenceKey y)
        {
            var c = string.CompareOrdinal(x.Service, y.Service);
            c = c != 0 ? c : string.CompareOrdinal(x.Operation, y.Operation);
            c = c != 0 ? c : string.CompareOrdinal(x.Account, y.Account);
            c = c != 0 ? c : string.CompareOrdinal(x.Region, y.Region);
            return c != 0 ? c : string.CompareOrdinal(x.Parameters, y.Parameters);
        }
    }
}
