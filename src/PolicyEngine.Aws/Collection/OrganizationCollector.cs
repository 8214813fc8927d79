using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using PolicyEngine.Aws.Http;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Collection;

/// <summary>One evidence record: a planned call's outcome in one account and region.</summary>
internal sealed class EvidenceRecord
{
    public required string Service { get; init; }
    public required string Operation { get; init; }
    public required string Account { get; init; }
    public required string Region { get; init; }
    public required JsonObject Parameters { get; init; }
    public required string Status { get; init; }
    public JsonNode? Response { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public int HttpStatus { get; init; }
    public string? Reason { get; init; }
    public string CanonicalParameters => Canonical(Parameters);

    public static string Canonical(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                return "{" + string.Join(',', o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => JsonSerializer.Serialize(kv.Key, AwsJsonContext.Default.String) + ":" + Canonical(kv.Value))) + "}";
            case JsonArray a:
                return "[" + string.Join(',', a.Select(Canonical)) + "]";
            case null:
                return "null";
            default:
                return node.ToJsonString();
        }
    }
}

/// <summary>
/// Collects a whole AWS organization into a snapshot, driven by the declarative plan in <c>collectors/*.yaml</c>.
/// Calls that fail (access denied, disabled region, throttling beyond the retry budget) become evidence records with
/// status <c>error</c> or <c>notCollected</c>; the run goes on and ends with a coverage summary.
/// </summary>
public sealed class OrganizationCollector
{
    private static readonly string[] NotCollectedCodes = ["OptInRequired", "SubscriptionRequiredException"];
    private readonly TimeProvider _time;

    /// <summary>Creates a collector.</summary>
    /// <param name="time">Clock for <c>metadata.collectedAt</c>; default the system clock.</param>
    public OrganizationCollector(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>
    /// Runs a collection and writes the snapshot atomically to <see cref="CollectOptions.OutputPath"/>.
    /// </summary>
    /// <param name="options">What to collect and how.</param>
    /// <param name="progress">Receives progress events (accounts/regions done, calls, throttles, errors); may be null.</param>
    /// <param name="log">Receives log lines; may be null. Never receives credentials.</param>
    /// <param name="ct">Cancels the run; no snapshot is written then.</param>
    /// <returns>The output path and the coverage summary.</returns>
    public async Task<CollectionResult> CollectAsync(CollectOptions options, IProgress<CollectionProgress>? progress, ICollectionLog? log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var run = new Run(options, progress, log, _time.GetUtcNow().UtcDateTime);
        return await run.ExecuteAsync(ct).ConfigureAwait(false);
    }

    private sealed class Context
    {
        public required string Account { get; init; }
        public string? Region { get; init; }
        public required Func<CancellationToken, Task<ImmutableCredentials>> Credentials { get; init; }
        public required IReadOnlyList<PlanEntry> Entries { get; init; }
    }

    private sealed class Run(CollectOptions options, IProgress<CollectionProgress>? progress, ICollectionLog? log, DateTime collectedAt)
    {
        private readonly ConcurrentBag<EvidenceRecord> _records = [];
        private readonly CallCounters _counters = new();
        private readonly SortedDictionary<string, List<string>> _enabledByAccount = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _failedAccounts = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _routedCalls = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, InventoryAccount> _inventoryAccounts = new(StringComparer.Ordinal);
        private CollectionPlan _plan = null!;
        private OperationInvoker _invoker = null!;
        private string _partition = "aws";
        private List<string>? _organizationAccounts;
        private int _accountsTotal;
        private int _accountsDone;
        private int _regionsDone;
        private long _errors;

        private void Log(CollectionLogLevel level, string message) => log?.Log(level, message);

        private void Report(string phase) =>
            progress?.Report(new CollectionProgress(phase, _accountsTotal, Volatile.Read(ref _accountsDone), Volatile.Read(ref _regionsDone), _counters.Calls, _counters.Throttles, Interlocked.Read(ref _errors)));

        public async Task<CollectionResult> ExecuteAsync(CancellationToken ct)
        {
            var stopwatch = Stopwatch.StartNew();
            var planDir = options.PlanDirectory ?? CollectionPlan.FindDefaultDirectory(AppContext.BaseDirectory) ?? CollectionPlan.FindDefaultDirectory()
                ?? throw new InvalidOperationException("no collection plan: pass the collectors/ directory");
            _plan = CollectionPlan.Load(planDir);
            _partition = options.Partition ?? (options.Regions.Count > 0 ? AwsPartitions.FromRegion(options.Regions[0]) : "aws");
            var home = AwsPartitions.HomeRegion(_partition);
            var overrides = new Dictionary<string, int>(StringComparer.Ordinal) { ["organizations"] = options.OrganizationsConcurrency };
            using var gate = new ConcurrencyGate(options.MaxConcurrency, options.MaxConcurrencyPerService, overrides);
            using var http = new AwsHttpClient(options.Retry, gate, _counters);
            _invoker = new OperationInvoker(http, _partition, options.EndpointOverride);

            var baseCredentials = options.Credentials ?? await ResolveDefaultCredentialsAsync().ConfigureAwait(false);
            async Task<ImmutableCredentials> BaseCreds(CancellationToken c) => await baseCredentials.GetCredentialsAsync().ConfigureAwait(false);

            // Who are we?
            var callerAccount = string.Empty;
            var identity = _plan.Entries.FirstOrDefault(e => e.Service == "sts" && e.Operation == "GetCallerIdentity");
            if (identity is not null)
            {
                var who = await _invoker.InvokeAsync(identity, [], null, await BaseCreds(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                callerAccount = who.Ok ? who.Response?["Account"]?.GetValue<string>() ?? string.Empty : string.Empty;
                if (callerAccount.Length == 0)
                {
                    // Without the caller's account nothing can be attributed: every record would be an error and the
                    // snapshot would only say "insufficient data" 184 times. Stop before writing anything.
                    var answer = who.Ok ? "an answer without an Account" : OneLine($"{who.ErrorCode}: {who.ErrorMessage}");
                    throw new CollectionFailedException(CollectionFailureCodes.IdentityUnreadable,
                        $"cannot read the caller's identity: sts:GetCallerIdentity failed with {answer}. " +
                        "Check the credentials (profile, AWS_* variables, SSO session, expiry) and network access to the STS endpoint; no snapshot was written.");
                }
            }

            // Organization phase.
            Report("organization");
            var orgEntries = _plan.Entries.Where(e => e.Scope == PlanScopes.Organization).ToList();
            var orgRecords = await RunContextAsync(new Context { Account = callerAccount, Region = null, Credentials = BaseCreds, Entries = orgEntries }, ct).ConfigureAwait(false);
            var org = OrganizationView.Build(orgRecords, callerAccount);
            if (options.ManagementAccount is null && OrganizationFailure(org, orgRecords) is { } unreadable)
            {
                throw new CollectionFailedException(CollectionFailureCodes.OrganizationUnreadable,
                    $"cannot read the organization: {unreadable}. Collect with the management account's or an Organizations delegated administrator's " +
                    "credentials, or pass --management-account to collect the caller's account alone; no snapshot was written.");
            }

            Log(CollectionLogLevel.Information, $"collecting as account {callerAccount} in partition {_partition} with {_plan.Entries.Count} planned operations");
            if (org.StandaloneAccount is not null)
            {
                Log(CollectionLogLevel.Information, $"account {callerAccount} belongs to no organization: collecting it as a standalone account");
            }

            if (options.ManagementAccount is { } configuredManagement && org.ManagementAccountId is { } inferredManagement && configuredManagement != inferredManagement)
            {
                Log(CollectionLogLevel.Warning, $"--management-account {configuredManagement} differs from DescribeOrganization's MasterAccountId {inferredManagement}; using {configuredManagement}");
            }

            var accounts = org.ActiveAccountIds(callerAccount);
            _organizationAccounts = org.AccountsListed ? [.. accounts] : null;
            if (options.Accounts.Count > 0)
            {
                accounts = [.. accounts.Where(options.Accounts.Contains)];
            }

            if (!options.Shard.IsWhole)
            {
                accounts = [.. accounts.Where(options.Shard.Owns)];
                Log(CollectionLogLevel.Information, FormattableString.Invariant($"shard {options.Shard.Index}/{options.Shard.Count}: {accounts.Count} of the organization's active accounts"));
            }

            var roles = RoleInference.Infer(org, options);
            _accountsTotal = accounts.Count;
            Log(CollectionLogLevel.Information, $"{accounts.Count} active accounts to collect");
            Report("accounts");

            // Accounts phase.
            using var sts = CreateStsClient(baseCredentials, home);
            var parallel = Math.Max(1, options.MaxAccountsInParallel ?? (4 * options.MaxConcurrency));
            await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (account, c) =>
            {
                await CollectAccountAsync(account, account == callerAccount ? BaseCreds : null, sts, gate, roles, c).ConfigureAwait(false);
                Interlocked.Increment(ref _accountsDone);
                Report("accounts");
            }).ConfigureAwait(false);

            ct.ThrowIfCancellationRequested();
            var governedRegions = options.Regions.Count > 0
                ? options.Regions
                : [.. _enabledByAccount.Values.SelectMany(r => r).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            Report("inventory");
            var inventory = await CollectInventoryAsync(accounts, roles, sts, gate, governedRegions, callerAccount, BaseCreds, http, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            Report("writing");
            var organizationPhase = new HashSet<EvidenceRecord>(orgRecords, ReferenceEqualityComparer.Instance);
            // Shards other than 0 read the organization only to find their accounts: shard 0 records it, once.
            var writeOrganization = options.Shard.OwnsOrganizationLevel;
            var records = _records.Where(r => writeOrganization || !organizationPhase.Contains(r)).ToList();
            records.Sort(CompareRecords);
            var coverage = BuildCoverage(records, accounts.Count, org.Collected && writeOrganization);
            coverage.OrganizationStandalone = org.StandaloneAccount is not null && writeOrganization;
            // Without --regions the governed regions are every region some account has enabled: an empty list would
            // leave every regional rule with nothing to check, which would read as compliance.
            IReadOnlyList<string> governed = governedRegions;
            var writer = new SnapshotJsonWriter(records, writeOrganization ? org : null, roles, governed, _enabledByAccount, coverage, _partition, callerAccount, collectedAt)
            {
                Inventory = inventory,
            };
            // A run with too many failed calls must not replace a good snapshot at the target: it goes beside it. The
            // organization phase is not counted: it either succeeded, stopped the run (PE8021), or failed in a way the
            // user accepted (--management-account) or that is AWS's answer for a standalone account.
            var counted = records.Where(r => !organizationPhase.Contains(r)).ToList();
            var failedCalls = counted.Count(r => r.Status == "error");
            var attempted = failedCalls + counted.Count(r => r.Status == "ok");
            var errorRate = attempted == 0 ? 0 : (double)failedCalls / attempted;
            var exceeded = errorRate > options.MaxErrorRate;
            var path = exceeded && !options.AllowPartial ? CollectOptions.PartialPath(options.OutputPath) : options.OutputPath;
            SnapshotFile.Write(path, options.Gzip, writer.Write, ct);
            Log(CollectionLogLevel.Information, $"wrote {path}: {coverage.ByStatus.Ok} ok, {coverage.ByStatus.Error} error, {coverage.ByStatus.NotCollected} notCollected");
            return new CollectionResult
            {
                OutputPath = Path.GetFullPath(path), Coverage = coverage, Calls = _counters.Calls, Throttles = _counters.Throttles, Duration = stopwatch.Elapsed,
                ErrorRate = errorRate, ErrorRateExceeded = exceeded, CallsFailed = failedCalls, CallsAttempted = attempted,
                Resources = inventory.Items.Count, ResourcesSection = inventory.Coverage.Section,
                ResourceGaps = inventory.Coverage.ByAccount.Values.SelectMany(r => r.Values).Count(p => p.Status != InventoryCoverage.Collected),
            };
        }

        /// <summary>
        /// The Config inventory, after the accounts phase: it needs the Security Tooling account's credentials and the
        /// regions collected in each account. Every account this run collects is reported on, in every region collected
        /// there (a failed account in every governed region).
        /// </summary>
        private async Task<InventoryResult> CollectInventoryAsync(List<string> accounts, RoleAssignments roles, AmazonSecurityTokenServiceClient sts, ConcurrencyGate gate,
            IReadOnlyList<string> governed, string callerAccount, Func<CancellationToken, Task<ImmutableCredentials>> baseCreds, AwsHttpClient http, CancellationToken ct)
        {
            var reported = accounts.Select(a => _inventoryAccounts.TryGetValue(a, out var ia)
                ? ia with { Regions = ia.Credentials is null ? governed : ia.Regions }
                : new InventoryAccount(a, governed, null, "not collected")).ToList();
            var assumed = new ConcurrentDictionary<string, Func<CancellationToken, Task<ImmutableCredentials>>?>(StringComparer.Ordinal);
            async Task<Func<CancellationToken, Task<ImmutableCredentials>>?> CredentialsFor(string account, CancellationToken c)
            {
                if (_inventoryAccounts.TryGetValue(account, out var known) && known.Credentials is not null)
                {
                    return known.Credentials;
                }

                if (account == callerAccount)
                {
                    return baseCreds;
                }

                if (assumed.TryGetValue(account, out var cached))
                {
                    return cached;
                }

                var (credentials, _, _, _) = await AssumeRoleAsync(sts, gate, account, c).ConfigureAwait(false);
                Func<CancellationToken, Task<ImmutableCredentials>>? result = credentials is null ? null : _ => Task.FromResult(credentials);
                assumed[account] = result;
                return result;
            }

            var request = new InventoryRequest
            {
                ResourceTypes = options.ResourceTypes,
                Aggregator = options.ConfigAggregator,
                AggregatorCandidates = [.. (roles.ByRole.TryGetValue("securityTooling", out var tooling) ? tooling : []).Select(a => a.AccountId)],
                Accounts = reported,
                SearchRegions = governed.Count > 0 ? governed : [AwsPartitions.HomeRegion(_partition)],
                RegionFilter = options.Regions,
                CredentialsFor = CredentialsFor,
                MaxPages = options.MaxInventoryPages,
            };
            return await new ConfigInventory(http, _partition, options.EndpointOverride, log).CollectAsync(request, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Why the organization cannot be read (DescribeOrganization or ListAccounts failed), or null. An account that
        /// belongs to no organization is not a failure: it is collected as a standalone account.
        /// </summary>
        private static string? OrganizationFailure(OrganizationView org, List<EvidenceRecord> records)
        {
            if (org.StandaloneAccount is not null)
            {
                return null;
            }

            string Failure(string operation)
            {
                var failed = records.FirstOrDefault(r => r.Service == "organizations" && r.Operation == operation && r.Status != "ok");
                return failed is null
                    ? $"organizations:{operation} was not collected"
                    : OneLine($"organizations:{operation} failed with {failed.ErrorCode ?? failed.Status}: {failed.ErrorMessage ?? failed.Reason}");
            }

            if (!org.Collected)
            {
                return Failure("DescribeOrganization");
            }

            return org.AccountsListed ? null : Failure("ListAccounts");
        }

        /// <summary>An AWS or network message on one line (messages may carry line breaks).</summary>
        private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');

        private async Task<AWSCredentials> ResolveDefaultCredentialsAsync()
        {
            if (options.Profile is not null)
            {
                var chain = new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain();
                if (chain.TryGetAWSCredentials(options.Profile, out var profileCredentials))
                {
                    return profileCredentials;
                }

                throw new InvalidOperationException($"AWS profile '{options.Profile}' not found");
            }

            return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
        }

        private AmazonSecurityTokenServiceClient CreateStsClient(AWSCredentials credentials, string home)
        {
            var config = new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = options.EndpointOverride?.ToString() ?? $"https://sts.{home}.{AwsPartitions.DnsSuffix(_partition)}",
                AuthenticationRegion = home,
                MaxErrorRetry = Math.Max(0, options.Retry.MaxAttempts - 1),
                Timeout = options.Retry.AttemptTimeout,
            };
            return new AmazonSecurityTokenServiceClient(credentials, config);
        }

        private async Task CollectAccountAsync(string account, Func<CancellationToken, Task<ImmutableCredentials>>? baseCreds, AmazonSecurityTokenServiceClient sts,
            ConcurrencyGate gate, RoleAssignments roles, CancellationToken ct)
        {
            var accountRoles = roles.RolesOf(account);
            bool Applies(PlanEntry e, bool regional)
            {
                if (PlanScopes.IsRegional(e.Scope) != regional || e.Scope == PlanScopes.Organization)
                {
                    return false;
                }

                var role = PlanScopes.Role(e.Scope);
                return role is null || accountRoles.Contains(role);
            }

            var globalEntries = _plan.Entries.Where(e => Applies(e, false)).ToList();
            var regionalEntries = _plan.Entries.Where(e => Applies(e, true)).ToList();

            Func<CancellationToken, Task<ImmutableCredentials>> creds;
            if (baseCreds is not null)
            {
                creds = baseCreds;
            }
            else
            {
                var (assumed, code, message, status) = await AssumeRoleAsync(sts, gate, account, ct).ConfigureAwait(false);
                if (assumed is null)
                {
                    _failedAccounts[account] = 0;
                    _inventoryAccounts[account] = new InventoryAccount(account, [], null, $"{code}: {message}");
                    Log(CollectionLogLevel.Warning, $"account {account}: cannot assume role {options.RoleName}: {code}");
                    var regions = options.Regions.Count > 0 ? options.Regions : ["unknown"];
                    foreach (var e in globalEntries)
                    {
                        AddFailure(e, account, "global", code!, message!, status);
                    }

                    foreach (var region in regions)
                    {
                        foreach (var e in regionalEntries)
                        {
                            AddFailure(e, account, region, code!, message!, status);
                        }
                    }

                    return;
                }

                creds = _ => Task.FromResult(assumed);
            }

            var globalRecords = await RunContextAsync(new Context { Account = account, Region = null, Credentials = creds, Entries = globalEntries }, ct).ConfigureAwait(false);
            var enabled = EnabledRegions(globalRecords);
            if (enabled is not null)
            {
                lock (_enabledByAccount)
                {
                    _enabledByAccount[account] = enabled;
                }
            }

            List<string> toCollect;
            if (options.Regions.Count > 0)
            {
                toCollect = enabled is null ? [.. options.Regions] : [.. options.Regions.Where(enabled.Contains)];
                foreach (var region in options.Regions.Where(r => !toCollect.Contains(r)))
                {
                    foreach (var e in regionalEntries)
                    {
                        foreach (var p in StaticParameterSets(e, account, region))
                        {
                            Add(new EvidenceRecord
                            {
                                Service = e.Service, Operation = e.Operation, Account = account, Region = region, Parameters = p,
                                Status = "notCollected", Reason = $"region {region} is not enabled in account {account}",
                            });
                        }
                    }
                }
            }
            else
            {
                toCollect = enabled ?? [AwsPartitions.HomeRegion(_partition)];
            }

            _inventoryAccounts[account] = new InventoryAccount(account, toCollect, creds, null);
            await Task.WhenAll(toCollect.Select(async region =>
            {
                await RunContextAsync(new Context { Account = account, Region = region, Credentials = creds, Entries = regionalEntries }, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _regionsDone);
            })).ConfigureAwait(false);
        }

        private static List<string>? EnabledRegions(List<EvidenceRecord> records)
        {
            var list = records.FirstOrDefault(r => r.Service == "account" && r.Operation == "ListRegions" && r.Status == "ok");
            if (list?.Response?["Regions"] is not JsonArray regions)
            {
                return null;
            }

            return [.. regions
                .Where(r => r?["RegionOptStatus"]?.GetValue<string>() is "ENABLED" or "ENABLED_BY_DEFAULT")
                .Select(r => r!["RegionName"]!.GetValue<string>())
                .Order(StringComparer.Ordinal)];
        }

        private async Task<(ImmutableCredentials? Credentials, string? Code, string? Message, int Status)> AssumeRoleAsync(
            AmazonSecurityTokenServiceClient sts, ConcurrencyGate gate, string account, CancellationToken ct)
        {
            var arn = $"arn:{_partition}:iam::{account}:role/{options.RoleName}";
            // Every AssumeRole is made with the base credentials: one caller.
            using (await gate.EnterAsync("sts", "base credentials", ct).ConfigureAwait(false))
            {
                _counters.Call();
                try
                {
                    var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
                    {
                        RoleArn = arn,
                        RoleSessionName = options.RoleSessionName,
                        ExternalId = options.ExternalId,
                        DurationSeconds = 3600,
                    }, ct).ConfigureAwait(false);
                    var c = response.Credentials;
                    return (new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), null, null, 200);
                }
                catch (AmazonServiceException ex)
                {
                    return (null, ex.ErrorCode ?? "AssumeRoleFailed", $"sts:AssumeRole {arn}: {ex.ErrorCode}", (int)ex.StatusCode);
                }
                catch (HttpRequestException ex)
                {
                    return (null, "ConnectionError", $"sts:AssumeRole {arn}: {ex.Message}", 0);
                }
                catch (AmazonClientException ex)
                {
                    return (null, "ClientError", $"sts:AssumeRole {arn}: {ex.GetType().Name}", 0);
                }
            }
        }

        private void AddFailure(PlanEntry e, string account, string region, string code, string message, int status)
        {
            foreach (var p in StaticParameterSets(e, account, region))
            {
                Add(new EvidenceRecord
                {
                    Service = e.Service, Operation = e.Operation, Account = account, Region = region, Parameters = p,
                    Status = "error", ErrorCode = code, ErrorMessage = message, HttpStatus = status,
                });
            }
        }

        private void Add(EvidenceRecord r)
        {
            if (r.Status == "error")
            {
                Interlocked.Increment(ref _errors);
            }

            _records.Add(r);
        }

        /// <summary>The parameter sets of an entry known without calling anything (static fan-out), else one set.</summary>
        private List<JsonObject> StaticParameterSets(PlanEntry e, string account, string? region)
        {
            var baseParams = Resolve(e.Parameters, account, region ?? "global");
            var statics = e.ForEach.Where(f => f.Values is not null).ToList();
            if (statics.Count == 0 || e.ForEach.Any(f => f.From is not null))
            {
                return [baseParams];
            }

            var result = new List<JsonObject>();
            foreach (var f in statics)
            {
                foreach (var v in f.Values!)
                {
                    var p = (JsonObject)baseParams.DeepClone();
                    p[f.Parameter] = f.AsList ? new JsonArray(v?.DeepClone()) : v?.DeepClone();
                    result.Add(p);
                }
            }

            return result;
        }

        private JsonObject Resolve(JsonObject parameters, string account, string region)
        {
            var json = parameters.ToJsonString()
                .Replace("${account}", account, StringComparison.Ordinal)
                .Replace("${region}", region, StringComparison.Ordinal)
                .Replace("${partition}", _partition, StringComparison.Ordinal);
            return (JsonObject)JsonNode.Parse(json)!;
        }

        /// <summary>Runs every entry of a context, fanning out as responses arrive; returns the context's records.</summary>
        private async Task<List<EvidenceRecord>> RunContextAsync(Context ctx, CancellationToken ct)
        {
            var local = new ConcurrentBag<EvidenceRecord>();
            var started = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            var regionName = ctx.Region ?? "global";
            var dependents = new Dictionary<(string, string), List<(PlanEntry Entry, PlanForEach ForEach)>>();
            foreach (var e in ctx.Entries)
            {
                foreach (var f in e.ForEach.Where(f => f.From is not null))
                {
                    var key = CollectionPlan.SplitFrom(e.Service, f.From!);
                    if (!dependents.TryGetValue(key, out var list))
                    {
                        list = [];
                        dependents[key] = list;
                    }

                    list.Add((e, f));
                }
            }

            void Record(EvidenceRecord r)
            {
                local.Add(r);
                Add(r);
            }

            // A source failed: its dependents (and theirs) get one notCollected record each, so nothing silently disappears.
            void MarkNotCollected(PlanEntry dep, string failedSource)
            {
                if (!started.TryAdd(dep.Service + ":" + dep.Operation + ":dependency", 0))
                {
                    return;
                }

                Record(new EvidenceRecord
                {
                    Service = dep.Service, Operation = dep.Operation, Account = ctx.Account, Region = regionName, Parameters = [],
                    Status = "notCollected", Reason = $"depends on {failedSource}, which failed",
                });
                if (dependents.TryGetValue((dep.Service, dep.Operation), out var next))
                {
                    foreach (var (d, _) in next)
                    {
                        MarkNotCollected(d, $"{dep.Service}:{dep.Operation}");
                    }
                }
            }

            // routedRegion: the call belongs to a resource that lives in that region (forEach 'region'); it is made and
            // recorded there, once per account however many regions list the resource.
            async Task Call(PlanEntry e, JsonObject parameters, string? routedRegion = null)
            {
                if (e.OrganizationAccounts is { } oa && !parameters.ContainsKey(oa.Parameter))
                {
                    // Organization-level fan-out: one call per batch of the organization's ACTIVE account ids.
                    if (_organizationAccounts is null)
                    {
                        MarkNotCollected(e, "organizations:ListAccounts");
                        return;
                    }

                    await Task.WhenAll(oa.Batches(_organizationAccounts).Select(batch =>
                    {
                        var p = (JsonObject)parameters.DeepClone();
                        p[oa.Parameter] = new JsonArray([.. batch.Select(id => (JsonNode?)JsonValue.Create(id))]);
                        return Call(e, p, routedRegion);
                    })).ConfigureAwait(false);
                    return;
                }

                var key = e.Service + ":" + e.Operation + ":" + EvidenceRecord.Canonical(parameters);
                if (routedRegion is null ? !started.TryAdd(key, 0) : !_routedCalls.TryAdd(ctx.Account + ":" + routedRegion + ":" + key, 0))
                {
                    return;
                }

                ct.ThrowIfCancellationRequested();
                var callRegion = routedRegion ?? ctx.Region;
                var recordRegion = callRegion ?? "global";
                var credentials = await ctx.Credentials(ct).ConfigureAwait(false);
                var outcome = await _invoker.InvokeAsync(e, parameters, callRegion, credentials, ct).ConfigureAwait(false);
                var status = outcome.Ok ? "ok" : NotCollectedCodes.Contains(outcome.ErrorCode) ? "notCollected" : "error";
                var record = new EvidenceRecord
                {
                    Service = e.Service, Operation = e.Operation, Account = ctx.Account, Region = recordRegion, Parameters = parameters,
                    Status = status, Response = outcome.Response, ErrorCode = outcome.ErrorCode, ErrorMessage = outcome.ErrorMessage,
                    HttpStatus = outcome.HttpStatus, Reason = status == "notCollected" ? $"{outcome.ErrorCode}: {outcome.ErrorMessage}" : null,
                };
                if (routedRegion is null)
                {
                    Record(record);
                }
                else
                {
                    Add(record); // another region's record: not part of this context's results
                }

                if (status == "error")
                {
                    Log(CollectionLogLevel.Debug, $"{e.Service}:{e.Operation} in {ctx.Account}/{recordRegion}: {outcome.ErrorCode}");
                }

                if (!dependents.TryGetValue((e.Service, e.Operation), out var deps))
                {
                    return;
                }

                var children = new List<Task>();
                JsonElement? element = outcome.Ok && outcome.Response is not null ? JsonSerializer.SerializeToElement(outcome.Response, AwsJsonContext.Default.JsonNode) : null;
                foreach (var (dep, fe) in deps)
                {
                    if (element is null)
                    {
                        MarkNotCollected(dep, $"{e.Service}:{e.Operation}");
                        continue;
                    }

                    foreach (var selected in CollectionPlan.Select(element.Value, fe.Select!))
                    {
                        string? routed = null;
                        if (fe.Region is not null)
                        {
                            routed = CollectionPlan.Select(selected, fe.Region).FirstOrDefault() is { ValueKind: JsonValueKind.String } r ? r.GetString() : null;
                            if (routed is null || !AwsPartitions.IsRegionOf(routed, _partition))
                            {
                                // The region goes into the endpoint's host name: only a well-formed region of this partition is used.
                                Log(CollectionLogLevel.Warning, $"{dep.Service}:{dep.Operation} in {ctx.Account}/{regionName}: skipped an item of {e.Service}:{e.Operation} without a valid {fe.Region}");
                                continue;
                            }
                        }

                        JsonElement value;
                        if (fe.Value is null)
                        {
                            value = selected;
                        }
                        else if (CollectionPlan.Select(selected, fe.Value).FirstOrDefault() is { ValueKind: not JsonValueKind.Undefined } v0)
                        {
                            value = v0;
                        }
                        else
                        {
                            continue;
                        }

                        var p = Resolve(dep.Parameters, ctx.Account, routed ?? regionName);
                        foreach (var name in fe.Inherit)
                        {
                            if (parameters.TryGetPropertyValue(name, out var inherited))
                            {
                                p[name] = inherited?.DeepClone();
                            }
                        }

                        var v = CollectionPlan.Transform(JsonNode.Parse(value.GetRawText()), fe.Transform);
                        if (v is null)
                        {
                            continue;
                        }

                        p[fe.Parameter] = fe.AsList ? new JsonArray(v) : v;
                        children.Add(Call(dep, p, routed));
                    }
                }

                await Task.WhenAll(children).ConfigureAwait(false);
            }

            var roots = new List<Task>();
            foreach (var e in ctx.Entries.Where(e => e.ForEach.All(f => f.From is null)))
            {
                foreach (var p in StaticParameterSets(e, ctx.Account, regionName))
                {
                    roots.Add(Call(e, p));
                }
            }

            await Task.WhenAll(roots).ConfigureAwait(false);
            return [.. local];
        }

        private CoverageSummary BuildCoverage(List<EvidenceRecord> records, int accounts, bool orgCollected)
        {
            var c = new CoverageSummary { AccountsActive = accounts, OrganizationCollected = orgCollected };
            foreach (var a in _failedAccounts.Keys)
            {
                c.AccountsFailed.Add(a);
            }

            foreach (var r in records)
            {
                c.Count(r.Service, r.Account, r.Status);
            }

            return c;
        }
    }

    internal static int CompareRecords(EvidenceRecord a, EvidenceRecord b)
    {
        var c = string.CompareOrdinal(a.Service, b.Service);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Operation, b.Operation);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Account, b.Account);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Region, b.Region);
        return c != 0 ? c : string.CompareOrdinal(a.CanonicalParameters, b.CanonicalParameters);
    }

    internal static string FormatTimestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string StatusText(HttpStatusCode code) => ((int)code).ToString(CultureInfo.InvariantCulture);
}
