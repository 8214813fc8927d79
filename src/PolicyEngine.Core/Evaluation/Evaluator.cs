using PolicyEngine.Core.Configuration;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Sharding;
using PolicyEngine.Core.Text;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Evaluation;

/// <summary>Options for one evaluation.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Policy configuration (severity, enablement, suppressions).</summary>
    public PolicyConfig Config { get; init; } = PolicyConfig.Empty;

    /// <summary>Sandbox limits for JavaScript predicates.</summary>
    public ScriptSandboxOptions Sandbox { get; init; } = ScriptSandboxOptions.Default;

    /// <summary>Degree of parallelism; defaults to the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The date suppressions' expiry is checked against; defaults to the snapshot's collection date.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>
    /// Receives a trace of every (rule, subject) evaluation; <see langword="null"/> (the default) traces nothing and
    /// costs nothing. With a tracer the evaluation runs on one thread, in a deterministic order, whatever
    /// <see cref="MaxParallelism"/> says. See <see cref="IEvaluationTracer"/>.
    /// </summary>
    public IEvaluationTracer? Tracer { get; init; }

    /// <summary>
    /// The part of the organization to evaluate (<c>--shard</c>); <see cref="Shard.Whole"/> (the default) evaluates
    /// everything. A shard evaluates the subjects of its accounts; shard 0 also evaluates everything not tied to one
    /// account (organization-level rules, and the findings that say what the snapshot lacks to dispatch a rule).
    /// </summary>
    public Shard Shard { get; init; } = Shard.Whole;

    /// <summary>
    /// When true, Pass and NotApplicable findings are only counted, by rule and outcome, in
    /// <see cref="EvaluationResult.Counted"/>, and <see cref="EvaluationResult.Findings"/> lists the rest. For reports
    /// that list only what needs attention: a 10,000-account organization has millions of Pass and NotApplicable
    /// findings, and holding them was most of the evaluation's memory. Such findings are never suppressed (only Fail
    /// and InsufficientData are), so their counts are all a summary needs. A tracer still sees every finding.
    /// </summary>
    public bool CountPassing { get; init; }

    /// <summary>When set, only these rules (by id) are evaluated: the part of a large snapshot that reads across accounts runs the rules that need it.</summary>
    internal IReadOnlySet<string>? OnlyRules { get; init; }
}

/// <summary>The findings of one evaluation, sorted deterministically.</summary>
/// <param name="Snapshot">The snapshot file evaluated.</param>
/// <param name="Rules">The rules that ran (enabled), sorted by id.</param>
/// <param name="Findings">Every finding, sorted by rule id, then account, region and resource.</param>
public sealed record EvaluationResult(string Snapshot, IReadOnlyList<RuleDescriptor> Rules, IReadOnlyList<Finding> Findings)
{
    /// <summary>Unsuppressed failing findings at or above a severity: what gates CI.</summary>
    public IEnumerable<Finding> FailuresAtOrAbove(RuleSeverity severity) =>
        Findings.Where(f => f.Outcome == Outcome.Fail && f.Suppression is null && f.Severity >= severity);

    /// <summary>
    /// The Pass and NotApplicable findings counted instead of listed (<see cref="EvaluationOptions.CountPassing"/>), by
    /// rule id, then outcome; empty when every finding is listed.
    /// </summary>
    public IReadOnlyList<OutcomeCount> Counted { get; init; } = [];

    /// <summary>
    /// When the snapshot's evidence was collected (its <c>metadata.collectedAt</c>), if it says. Reports that need a
    /// time (OCSF <c>time</c>, ASFF <c>CreatedAt</c>) write this one, never the clock, so the same input gives the same bytes.
    /// </summary>
    public DateTimeOffset? CollectedAt { get; init; }

    /// <summary>
    /// The ids of the rules that read records their part of a snapshot file does not hold (<see cref="Snapshot.ReadOutsidePart"/>),
    /// sorted; their findings here are not the file's. Empty for a whole snapshot.
    /// </summary>
    internal IReadOnlyList<string> RulesReadOutsidePart { get; init; } = [];
}

/// <summary>
/// Runs a compiled rule set over a snapshot. It enumerates each rule's subjects from the snapshot index (never
/// walking the whole document), evaluates (rule, subject) pairs in parallel, and merges the results in a fixed
/// order so the same inputs give byte-identical reports.
/// </summary>
public static class Evaluator
{
    /// <summary>How many distinct detail texts findings share (<see cref="TextPool"/>); beyond that, texts are kept as made.</summary>
    private const int DetailPoolCapacity = 1 << 16;

    /// <summary>Evaluates every enabled rule against the snapshot.</summary>
    public static EvaluationResult Evaluate(RuleSet rules, Snapshot snapshot, EvaluationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        options ??= new EvaluationOptions();
        var enabled = rules.Rules.Where(r => options.Config.IsEnabled(r.Descriptor) && (options.OnlyRules?.Contains(r.Descriptor.Id) ?? true)).ToArray();

        // Dispatch: each rule is paired only with the subjects its target names. A shard keeps the pairs of its own accounts, and shard 0 those tied to no account, so that the shards'
        // findings together are exactly the unsharded run's (ReportMerger relies on it).
        var work = new List<(CompiledRule Rule, Subject? Subject, RawFinding? Immediate)>();
        var owned = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool InShard(string? account) =>
            options.Shard.IsWhole || (account is null
                ? options.Shard.OwnsOrganizationLevel
                : owned.TryGetValue(account, out var mine) ? mine : owned[account] = options.Shard.Owns(account));
        var subjects = new SubjectCache();
        using var counts = new PassingCounts(enabled, options.CountPassing);
        // Findings decided at dispatch (out of scope, mostly: two thirds of a large organization's findings) are
        // counted here rather than queued, unless a tracer must see them in work order.
        var countAtDispatch = options.CountPassing && options.Tracer is null;
        foreach (var rule in enabled)
        {
            foreach (var (subject, immediate, account) in Dispatch(rule, snapshot, subjects, InShard))
            {
                if (InShard(account) && !(countAtDispatch && counts.TryCount(immediate)))
                {
                    work.Add((rule, subject, immediate));
                }
            }
        }

        var outside = snapshot.Part is null ? null : new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var predicates = new PredicateRunner(options.Sandbox);
        var details = new TextPool(DetailPoolCapacity);
        // Almost every (rule, subject) gives exactly one finding: it is kept as is, and only the others get an array,
        // instead of a list per pair (millions of them in a 10,000-account organization).
        var single = new RawFinding?[work.Count];
        var several = new RawFinding[]?[work.Count];
        var scratch = new ThreadLocal<List<RawFinding>>(() => new List<RawFinding>(4));
        void RunOne(int index, RuleRunner runner)
        {
            var (rule, subject, immediate) = work[index];
            if (immediate is not null)
            {
                runner.TraceImmediate(immediate);
                if (!counts.TryCount(immediate))
                {
                    single[index] = immediate;
                }

                return;
            }

            var output = scratch.Value!;
            output.Clear();
            if (outside is null)
            {
                runner.Run(rule, subject!, output);
            }
            else
            {
                // A part of a file: which rules read records another part holds (their findings there are not the file's).
                SnapshotPart.ClearThread();
                runner.Run(rule, subject!, output);
                if (SnapshotPart.ThreadReadOutside)
                {
                    outside.TryAdd(rule.Descriptor.Id, 0);
                }
            }

            counts.TakeFrom(output);
            if (output.Count == 0)
            {
                return;
            }

            if (output.Count == 1)
            {
                single[index] = output[0];
            }
            else
            {
                several[index] = [.. output];
            }

            output.Clear();
        }

        if (options.Tracer is { } tracer)
        {
            // A tracer sees the events in work order, one at a time: deterministic, and it needs no locking.
            var runner = new RuleRunner(snapshot, predicates, cancellationToken, tracer, details);
            for (var index = 0; index < work.Count; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunOne(index, runner);
            }
        }
        else
        {
            Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
                () => new RuleRunner(snapshot, predicates, cancellationToken, details: details, passesListed: !options.CountPassing),
                (index, _, runner) =>
                {
                    RunOne(index, runner);
                    return runner;
                },
                _ => { });
        }

        scratch.Dispose();

        // The work list is not needed any more; at millions of items it is worth freeing before the findings are made.
        var pairs = work.Count;
        work.Clear();
        work.TrimExcess();

        // Where each pair's findings start in the result: a pair gives one finding (single) or several (their array).
        var start = new int[pairs + 1];
        for (var index = 0; index < pairs; index++)
        {
            start[index + 1] = start[index] + (single[index] is not null ? 1 : several[index]?.Length ?? 0);
        }

        var context = new FindingContext(FindingFingerprint.For(snapshot), snapshot.Locator);
        var today = EvaluationDate(snapshot, options);
        var findings = new Finding[start[pairs]];
        // Matching suppressions and the effective severity are independent per finding; each result lands at its own
        // index, so the order (and the report) is the same whatever the threads do. Each pair's raw findings are let
        // go as soon as they are converted, so that a collection during the conversion can reclaim them: at millions
        // of findings the raw and the converted ones together were the peak of the run.
        Parallel.For(0, pairs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
            index =>
            {
                if (single[index] is { } one)
                {
                    findings[start[index]] = ToFinding(one, context, options.Config, today);
                    single[index] = null;
                    return;
                }

                if (several[index] is { } many)
                {
                    for (var k = 0; k < many.Length; k++)
                    {
                        findings[start[index] + k] = ToFinding(many[k], context, options.Config, today);
                    }

                    several[index] = null;
                }
            });
        single = null;
        several = null;
        start = null;
        context.Locate(findings);
        return new EvaluationResult(snapshot.File, enabled.Select(r => r.Descriptor).ToArray(), SortForReport(findings))
        {
            CollectedAt = snapshot.CollectedAt,
            Counted = counts.Totals(),
            RulesReadOutsidePart = outside is null ? [] : [.. outside.Keys.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// The date suppressions' expiry is compared with: <see cref="EvaluationOptions.Today"/>, else the date of the
    /// snapshot's <c>metadata.collectedAt</c> (UTC), else 1970-01-01. Never the machine's clock.
    /// </summary>
    public static DateOnly EvaluationDate(Snapshot snapshot, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return options?.Today ?? DateOnly.FromDateTime((snapshot.CollectedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime);
    }

    /// <summary>
    /// The findings in report order (<see cref="CompareForReport"/>); ties keep the order they are given in, as a stable
    /// sort would. One comparer instead of a five-level LINQ sort: path strings are only compared (and rendered, once
    /// per path, cached by NormalizedPath) when everything before them ties.
    /// </summary>
    internal static Finding[] SortForReport(IReadOnlyList<Finding> findings)
    {
        var order = new int[findings.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) => CompareForReport(findings[x], findings[y]) is var c and not 0 ? c : x.CompareTo(y));
        var sorted = new Finding[order.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = findings[order[i]];
        }

        return sorted;
    }

    /// <summary>
    /// The order of a report's findings: rule id, account, region, resource, path (ordinal). Findings that tie on all
    /// of these keep the order they were produced in.
    /// </summary>
    internal static int CompareForReport(Finding a, Finding b)
    {
        var c = string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Subject.Account ?? string.Empty, b.Subject.Account ?? string.Empty);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Subject.Region ?? string.Empty, b.Subject.Region ?? string.Empty);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Subject.Resource ?? string.Empty, b.Subject.Resource ?? string.Empty);
        }

        if (c == 0 && !ReferenceEquals(a.Path, b.Path))
        {
            c = string.CompareOrdinal(a.Path?.ToString() ?? string.Empty, b.Path?.ToString() ?? string.Empty);
        }

        return c;
    }

    private static Finding ToFinding(RawFinding raw, FindingContext context, PolicyConfig config, DateOnly today)
    {
        var subject = raw.Subject.ToFindingSubject();
        var finding = new Finding
        {
            Rule = raw.Rule.Descriptor,
            Outcome = raw.Outcome,
            Severity = config.EffectiveSeverity(raw.Rule.Descriptor, subject),
            Subject = subject,
            Message = string.Empty,
            Path = raw.Path,
            Code = raw.Code,
        }.WithDeferred(raw.Detail, context);
        return finding.Outcome is Outcome.Fail or Outcome.InsufficientData && config.FindSuppression(finding, raw.Subject.Account?.Tags, today) is { } suppression
            ? finding with { Suppression = new SuppressionInfo(suppression.Justification, suppression.Location.ToString(), suppression.Owner) }
            : finding;
    }

    /// <summary>
    /// The (subject, or finding decided without running the rule) pairs of one rule, each with the account it belongs
    /// to for sharding: null for what belongs to no single account. The subjects of accounts outside the shard
    /// (<paramref name="inShard"/>) are skipped before they are made: a part of a large snapshot dispatches its own.
    /// </summary>
    private static IEnumerable<(Subject? Subject, RawFinding? Immediate, string? ShardAccount)> Dispatch(CompiledRule rule, Snapshot snapshot, SubjectCache subjects,
        Func<string?, bool> inShard)
    {
        var outOfScope = OutOfScopeDetail(rule);
        var organizationSubject = new Subject
        {
            Kind = TargetKind.Organization,
            AccountId = snapshot.RoleAccounts.GetValueOrDefault(SraRoles.Management) is { Count: > 0 } managers ? managers[0] : null,
            Region = "global",
            Resource = "organization",
            Json = snapshot.Organization is { } org ? new PathValue(org, NormalizedPath.Root.Append("organization")) : null,
        };
        organizationSubject = organizationSubject with { Account = organizationSubject.AccountId is { } m ? snapshot.FindAccount(m) : null };

        if (rule.Target == TargetKind.Organization)
        {
            yield return (organizationSubject, null, null);
            yield break;
        }

        if (rule.Target == TargetKind.Resource)
        {
            if (snapshot.ResourcesNotCollected is var (reason, reasonPath))
            {
                // A live snapshot writes "resources": [] with coverage notCollected: nobody looked, so "no bucket" is unknown.
                yield return (null, new RawFinding(rule, Outcome.InsufficientData, organizationSubject with { Kind = TargetKind.Resource },
                    $"insufficient data: {reason}, so {rule.ResourceType} resources cannot be checked; evaluate a snapshot with AWS Config resources (policy-engine import)",
                    reasonPath, null), null);
                yield break;
            }

            var coverage = snapshot.ResourceCoverage;
            if (coverage?.ResourceTypes is { } collectedTypes && !collectedTypes.Contains(rule.ResourceType!))
            {
                // The collector was asked for other types: no item of this one was read anywhere.
                yield return (null, new RawFinding(rule, Outcome.InsufficientData, organizationSubject with { Kind = TargetKind.Resource },
                    $"insufficient data: {rule.ResourceType} was not among the resource types collected, so its resources cannot be checked; collect with --resource-types {rule.ResourceType} (or a rule pack that reads it)",
                    coverage.TypesPath, null), null);
                yield break;
            }

            foreach (var resource in snapshot.ResourcesOfType(rule.ResourceType!))
            {
                var owner = string.IsNullOrEmpty(resource.Account) ? null : resource.Account;
                if (!inShard(owner))
                {
                    continue;
                }

                var account = snapshot.FindAccount(resource.Account);
                var subject = subjects.Of(resource, account);
                yield return InScope(rule, account) ? (subject, null, owner) : (null, OutOfScope(rule, subject, outOfScope), owner);
            }

            // Where items were not (all) read, the items present are checked, and the rest is unknown: one
            // InsufficientData per account and region, never a silent pass.
            var gaps = false;
            foreach (var gap in coverage?.Entries ?? [])
            {
                if (gap.Status == ResourceCollectionStatus.Collected || (rule.ScopeRegions.Count > 0 && !rule.ScopeRegions.Contains(gap.Region)))
                {
                    continue;
                }

                var account = snapshot.FindAccount(gap.Account);
                if (account is not null ? !InScope(rule, account) : rule.ScopeRoles.Count > 0)
                {
                    continue;
                }

                gaps = true;
                if (!inShard(gap.Account))
                {
                    continue;
                }

                var how = gap.Status == ResourceCollectionStatus.Partial ? "were only partly collected" : "were not collected";
                var why = gap.Reason.Length > 0 ? $" ({gap.Reason})" : string.Empty;
                var subject = new Subject
                {
                    Kind = TargetKind.Resource, Account = account, AccountId = gap.Account, Region = gap.Region,
                    Resource = rule.ResourceType,
                };
                yield return (null, new RawFinding(rule, Outcome.InsufficientData, subject,
                    $"insufficient data: the {rule.ResourceType} resources of account {gap.Account} in {gap.Region} {how}{why}, so not all of them can be checked",
                    gap.Path, null), gap.Account);
            }

            // Whether the file has items of the type, not only the accounts (or part) this run dispatches.
            if (!gaps && !snapshot.HasResourcesOfType(rule.ResourceType!))
            {
                yield return (null, new RawFinding(rule, Outcome.NotApplicable, organizationSubject with { Kind = TargetKind.Resource },
                    $"the snapshot has no {rule.ResourceType} resources to check", null, null), null);
            }

            yield break;
        }

        // Account-based targets need the organization's account list; without it nothing can be dispatched,
        // and saying nothing would read as compliance.
        if (snapshot.Accounts is null)
        {
            yield return (null, new RawFinding(rule, Outcome.InsufficientData, organizationSubject,
                "insufficient data: the snapshot has no organization.accounts list, so the accounts to check are unknown", null, null), null);
            yield break;
        }

        var active = subjects.ActiveAccounts(snapshot);
        if (rule.ScopeRoles.Count > 0 && !active.Any(a => InScope(rule, a)))
        {
            yield return (null, new RawFinding(rule, Outcome.InsufficientData, organizationSubject,
                $"insufficient data: no active account is assigned the SRA role {string.Join(" or ", rule.ScopeRoles)}; assign it when collecting (e.g. --{Kebab(rule.ScopeRoles[0])}-account)",
                NormalizedPath.Root.Append("roles"), null), null);
            yield break;
        }

        var regional = rule.Target == TargetKind.AccountRegion || (rule.Target == TargetKind.Evidence && !rule.OperationIsGlobal);
        IReadOnlyList<string> regions = ["global"];
        if (regional)
        {
            if (snapshot.GovernedRegions is not { Count: > 0 })
            {
                // An empty list is treated like a missing one: "no regions to check" must not read as compliance.
                yield return (null, new RawFinding(rule, Outcome.InsufficientData, organizationSubject,
                    "insufficient data: the snapshot's regions.governed list is missing or empty, so the regions to check are unknown", null, null), null);
                yield break;
            }

            regions = rule.ScopeRegions.Count > 0 ? snapshot.GovernedRegions.Where(rule.ScopeRegions.Contains).ToArray() : snapshot.GovernedRegions;
            if (regions.Count == 0)
            {
                yield return (null, new RawFinding(rule, Outcome.NotApplicable, organizationSubject,
                    $"none of the rule's regions ({string.Join(", ", rule.ScopeRegions)}) is governed", null, null), null);
                yield break;
            }
        }

        foreach (var account in active)
        {
            if (!inShard(account.Id))
            {
                continue;
            }

            foreach (var region in regions)
            {
                var subject = subjects.Of(rule.Target, account, region);
                if (!InScope(rule, account))
                {
                    yield return (null, OutOfScope(rule, subject, outOfScope), account.Id);
                    continue;
                }

                if (rule.Target != TargetKind.Evidence)
                {
                    yield return (subject, null, account.Id);
                    continue;
                }

                var records = snapshot.EvidenceFor(rule.Operation!.Service, rule.Operation.Operation, account.Id, region);
                if (records.Count == 0)
                {
                    var missing = snapshot.FindEvidence(new EvidenceKey(rule.Operation.Service, rule.Operation.Operation, account.Id, region, string.Empty));
                    yield return (null, new RawFinding(rule, Outcome.InsufficientData, subject, "insufficient data: " + missing.Describe(), account.Path, null), account.Id);
                    continue;
                }

                foreach (var record in records)
                {
                    var evidenceSubject = subjects.Of(subject, record);
                    if (record.Status != Snapshots.EvidenceStatus.Ok)
                    {
                        yield return (null, new RawFinding(rule, Outcome.InsufficientData, evidenceSubject, "insufficient data: " + record.Describe(),
                            record.Path, record.ErrorCode), account.Id);
                        continue;
                    }

                    yield return (evidenceSubject, null, account.Id);
                }
            }
        }
    }

    private static bool InScope(CompiledRule rule, SnapshotAccount? account) =>
        rule.ScopeRoles.Count == 0 ? account is null || account.IsActive : account is not null && rule.ScopeRoles.Any(account.Roles.Contains);

    private static RawFinding OutOfScope(CompiledRule rule, Subject subject, string detail) => new(rule, Outcome.NotApplicable, subject, detail, null, null);

    private static string OutOfScopeDetail(CompiledRule rule) =>
        rule.ScopeRoles.Count > 0 ? $"the account is not a {string.Join(" or ", rule.ScopeRoles)} account" : "the account is not active";

    /// <summary>
    /// The Pass and NotApplicable findings counted rather than listed (<see cref="EvaluationOptions.CountPassing"/>):
    /// a count per rule and outcome for each thread, added up at the end, so counting takes no lock.
    /// </summary>
    private sealed class PassingCounts(CompiledRule[] rules, bool counting) : IDisposable
    {
        private readonly Dictionary<CompiledRule, int> _slots = Slots(rules);
        private readonly ThreadLocal<int[]> _counts = new(() => new int[rules.Length * 2], trackAllValues: true);
        private Predicate<RawFinding>? _tryCount;

        /// <summary>Counts the finding and returns true when it is Pass or NotApplicable and counting is on.</summary>
        public bool TryCount(RawFinding? finding)
        {
            if (!counting || finding is not { Outcome: Outcome.Pass or Outcome.NotApplicable })
            {
                return false;
            }

            _counts.Value![_slots[finding.Rule] + (finding.Outcome == Outcome.Pass ? 0 : 1)]++;
            return true;
        }

        /// <summary>Counts the Pass and NotApplicable findings of <paramref name="output"/> and removes them from it.</summary>
        public void TakeFrom(List<RawFinding> output)
        {
            if (counting)
            {
                output.RemoveAll(_tryCount ??= TryCount);
            }
        }

        /// <summary>The counts of every thread, added up: by rule id, then Pass before NotApplicable.</summary>
        public List<OutcomeCount> Totals()
        {
            var totals = new int[rules.Length * 2];
            foreach (var counts in _counts.Values)
            {
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += counts[i];
                }
            }

            var counted = new List<OutcomeCount>();
            foreach (var (rule, slot) in _slots.OrderBy(p => p.Key.Descriptor.Id, StringComparer.Ordinal))
            {
                if (totals[slot] > 0)
                {
                    counted.Add(new OutcomeCount(rule.Descriptor, Outcome.Pass, totals[slot]));
                }

                if (totals[slot + 1] > 0)
                {
                    counted.Add(new OutcomeCount(rule.Descriptor, Outcome.NotApplicable, totals[slot + 1]));
                }
            }

            return counted;
        }

        /// <inheritdoc/>
        public void Dispose() => _counts.Dispose();

        private static Dictionary<CompiledRule, int> Slots(CompiledRule[] rules)
        {
            var slots = new Dictionary<CompiledRule, int>(ReferenceEqualityComparer.Instance);
            for (var index = 0; index < rules.Length; index++)
            {
                slots.Add(rules[index], index * 2);
            }

            return slots;
        }
    }

    /// <summary>
    /// The subjects of one evaluation, made once and shared by every rule that targets them: a 10,000-account
    /// organization has about 40,000 account-and-region subjects, but millions of (rule, subject) pairs. Dispatch runs
    /// on one thread, so the cache needs no locking.
    /// </summary>
    private sealed class SubjectCache
    {
        private readonly Dictionary<(TargetKind Kind, SnapshotAccount Account, string Region), Subject> _accounts = [];
        private readonly Dictionary<EvidenceRecord, Subject> _records = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<SnapshotResource, Subject> _resources = new(ReferenceEqualityComparer.Instance);
        private SnapshotAccount[]? _active;

        /// <summary>
        /// The active accounts, by id: sorted once per evaluation, not once per rule (184 sorts of 10,000 accounts,
        /// and as many again in each part of a large snapshot).
        /// </summary>
        public SnapshotAccount[] ActiveAccounts(Snapshot snapshot) =>
            _active ??= [.. (snapshot.Accounts ?? []).Where(a => a.IsActive).OrderBy(a => a.Id, StringComparer.Ordinal)];

        /// <summary>The subject of an account (region "global") or of an account in a region.</summary>
        public Subject Of(TargetKind kind, SnapshotAccount account, string region)
        {
            if (!_accounts.TryGetValue((kind, account, region), out var subject))
            {
                subject = new Subject
                {
                    Kind = kind,
                    Account = account,
                    AccountId = account.Id,
                    Region = kind == TargetKind.Account ? "global" : region,
                    Resource = kind == TargetKind.Account ? account.Id : $"{account.Id}/{region}",
                    Json = new PathValue(account.Element, account.Path),
                };
                _accounts.Add((kind, account, region), subject);
            }

            return subject;
        }

        /// <summary>The subject of one evidence record of an account's subject: the record's key, and its response when it has one.</summary>
        public Subject Of(Subject account, EvidenceRecord record)
        {
            if (!_records.TryGetValue(record, out var subject))
            {
                subject = account with
                {
                    Resource = record.Key.ToString(),
                    Json = record.Status == Snapshots.EvidenceStatus.Ok ? new PathValue(record.Response!.Value, record.ResponsePath) : account.Json,
                };
                _records.Add(record, subject);
            }

            return subject;
        }

        /// <summary>The subject of one configuration item.</summary>
        public Subject Of(SnapshotResource resource, SnapshotAccount? account)
        {
            if (!_resources.TryGetValue(resource, out var subject))
            {
                subject = new Subject
                {
                    Kind = TargetKind.Resource,
                    Account = account,
                    AccountId = resource.Account,
                    Region = resource.Region,
                    Resource = resource.Arn ?? resource.Id,
                    Json = new PathValue(resource.Element, resource.Path),
                };
                _resources.Add(resource, subject);
            }

            return subject;
        }
    }

    private static string Kebab(string role) =>
        string.Concat(role.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
}
