using System.CommandLine;
using PolicyEngine.Aws.Collection;
using Spectre.Console;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>collect</c>: gather the organization into a snapshot, live. On a terminal it shows progress with Spectre.Console;
/// in CI (or when output is redirected) it writes plain log lines. Credentials come from the default AWS chain and
/// never reach the snapshot or the log.
/// </summary>
internal static class CollectCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<bool> isTerminal)
    {
        var outputPath = new Option<string>("--output", "-o") { Description = "Where to write the snapshot (written atomically).", DefaultValueFactory = _ => "snapshot.json" };
        var regions = List("--regions", "Governed regions to collect (repeatable or comma-separated). Default: each account's enabled regions.");
        var roleName = new Option<string>("--role-name") { Description = "Role assumed in every member account.", DefaultValueFactory = _ => CollectOptions.DefaultRoleName };
        var externalId = new Option<string?>("--external-id") { Description = "External id for the member-account role, if its trust policy requires one." };
        var management = new Option<string?>("--management-account")
        {
            Description = "The management account id, when the collector cannot infer it (DescribeOrganization denied). A standalone account (no organization) is inferred from the caller.",
        };
        var securityTooling = List("--security-tooling-account", "Security Tooling (audit) account id (repeatable).");
        var logArchive = List("--log-archive-account", "Log Archive account id (repeatable).");
        var network = List("--network-account", "Network account id (repeatable).");
        var sharedServices = List("--shared-services-account", "Shared Services account id (repeatable).");
        var accounts = List("--account", "Collect only these accounts (repeatable). Default: every ACTIVE account.");
        var concurrency = new Option<int>("--concurrency") { Description = "Maximum concurrent API calls.", DefaultValueFactory = _ => 32 };
        var gzip = new Option<bool>("--gzip") { Description = "Compress the snapshot (.json.gz)." };
        var profile = new Option<string?>("--profile") { Description = "AWS profile to start from (default: the standard credential chain)." };
        var fromEnvironment = new Option<bool>("--credentials-from-env")
        {
            Description = "Take credentials only from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN: no profile, SSO or instance metadata.",
        };
        var collectors = CommonOptions.CollectPlan();
        var maxErrorRate = new Option<double>("--max-error-rate")
        {
            Description = "Share of calls (0 to 1) that may fail before the run is partial: exit code 5 and the snapshot written beside --output as <output>.partial.",
            DefaultValueFactory = _ => CollectOptions.DefaultMaxErrorRate,
        };
        var allowPartial = new Option<bool>("--allow-partial") { Description = "Write a partial run over --output anyway (the exit code is still 5)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also log each failed call (debug lines)." };
        var shard = ShardInputs.Option("Collect");
        var resourceTypes = List("--resource-types",
            "AWS Config resource types to inventory (repeatable or comma-separated), e.g. AWS::S3::Bucket. Default: the types the --rules pack's target: resource rules read; none when it has none.");
        var configAggregator = new Option<string?>("--config-aggregator")
        {
            Description = "The AWS Config aggregator to read the inventory from, as ACCOUNT/NAME. Default: an organization aggregator in a Security Tooling account; without one, each account and region is read.",
        };
        var rules = CommonOptions.Rules();
        rules.Description = "Rule directories or files whose target: resource rules decide the default --resource-types ('builtin' names the shipped pack). Default: the shipped pack.";
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Send every call to this endpoint (for testing against a local fake).", Hidden = true };

        var command = new Command("collect", "Collect an AWS organization into a snapshot, from the management or a delegated-admin account.")
        {
            outputPath, regions, roleName, externalId, management, securityTooling, logArchive, network, sharedServices, accounts, concurrency, gzip, profile,
            fromEnvironment, collectors, maxErrorRate, allowPartial, verbose, shard, resourceTypes, configAggregator, rules, endpoint,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(concurrency) is < 1 or > 256)
            {
                error.WriteLine("error: --concurrency must be between 1 and 256.");
                return ExitCodes.UsageError;
            }

            if (parse.GetValue(maxErrorRate) is var rate && !(rate is >= 0 and <= 1))
            {
                error.WriteLine(FormattableString.Invariant($"error: --max-error-rate must be a number between 0 and 1, not {rate}."));
                return ExitCodes.UsageError;
            }

            if (parse.GetValue(fromEnvironment) && parse.GetValue(profile) is not null)
            {
                error.WriteLine("error: --credentials-from-env and --profile cannot be used together.");
                return ExitCodes.UsageError;
            }

            if (parse.GetValue(management) is { } managementId && (managementId.Length != 12 || !managementId.All(char.IsAsciiDigit)))
            {
                error.WriteLine($"error: --management-account must be a 12-digit account id, not '{managementId}'.");
                return ExitCodes.UsageError;
            }

            var shardProblems = new List<Core.Diagnostics.Diagnostic>();
            var part = ShardInputs.Parse(parse.GetValue(shard), shardProblems, out var shardValid);
            if (!shardValid)
            {
                foreach (var problem in shardProblems)
                {
                    error.WriteLine(problem);
                }

                return ExitCodes.UsageError;
            }

            Uri? endpointUri = null;
            if (parse.GetValue(endpoint) is { } endpointText &&
                (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpointUri) || endpointUri.Scheme is not ("http" or "https")))
            {
                error.WriteLine($"error: --endpoint-url must be an absolute http or https URL, not '{endpointText}'.");
                return ExitCodes.UsageError;
            }

            (string Account, string Name)? aggregator = null;
            if (parse.GetValue(configAggregator) is { } aggregatorText)
            {
                var slash = aggregatorText.IndexOf('/', StringComparison.Ordinal);
                var owner = slash < 0 ? string.Empty : aggregatorText[..slash];
                var name = slash < 0 ? string.Empty : aggregatorText[(slash + 1)..];
                if (owner.Length != 12 || !owner.All(char.IsAsciiDigit) || name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
                {
                    error.WriteLine($"error {InventoryCodes.AggregatorOption}: --config-aggregator must be ACCOUNT/NAME (the 12-digit id of the account that owns the aggregator, a slash, its name), not '{aggregatorText}'.");
                    return ExitCodes.UsageError;
                }

                aggregator = (owner, name);
            }

            var types = Split(parse.GetValue(resourceTypes));
            if (types.FirstOrDefault(t => !Aws.ConfigItems.ConfigurationItems.IsResourceType(t)) is { } badType)
            {
                error.WriteLine($"error {InventoryCodes.ResourceTypeOption}: --resource-types '{badType}' is not an AWS Config resource type; write it as Config does, e.g. AWS::S3::Bucket.");
                return ExitCodes.UsageError;
            }

            if (types.Length == 0)
            {
                // The default: what the pack's resource rules read, so a pack without any collects no inventory.
                var plan = parse.GetValue(collectors);
                var compilation = CommonOptions.CompilePack(parse.GetValue(rules), plan is null ? null : [plan], error);
                if (!compilation.Success)
                {
                    return ExitCodes.InvalidInput;
                }

                types = ResourceTypesOf(compilation.RuleSet!);
            }

            Amazon.Runtime.AWSCredentials? credentials = null;
            if (parse.GetValue(fromEnvironment))
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")) ||
                    string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")))
                {
                    error.WriteLine("error: --credentials-from-env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.");
                    return ExitCodes.UsageError;
                }

                credentials = new Amazon.Runtime.EnvironmentVariablesAWSCredentials();
            }

            var options = new CollectOptions
            {
                OutputPath = parse.GetValue(outputPath)!,
                Gzip = parse.GetValue(gzip),
                Regions = Split(parse.GetValue(regions)),
                RoleName = parse.GetValue(roleName)!,
                ExternalId = parse.GetValue(externalId),
                ManagementAccount = parse.GetValue(management),
                SecurityToolingAccounts = Split(parse.GetValue(securityTooling)),
                LogArchiveAccounts = Split(parse.GetValue(logArchive)),
                NetworkAccounts = Split(parse.GetValue(network)),
                SharedServicesAccounts = Split(parse.GetValue(sharedServices)),
                Accounts = Split(parse.GetValue(accounts)),
                Shard = part ?? Core.Sharding.Shard.Whole,
                MaxConcurrency = parse.GetValue(concurrency),
                Profile = parse.GetValue(profile),
                Credentials = credentials,
                PlanDirectory = parse.GetValue(collectors) ?? DefaultPaths.CollectorsDirectory,
                EndpointOverride = endpointUri,
                MaxErrorRate = parse.GetValue(maxErrorRate),
                AllowPartial = parse.GetValue(allowPartial),
                ResourceTypes = types,
                ConfigAggregator = aggregator,
            };

            var log = new WriterLog(error, parse.GetValue(verbose));
            CollectionResult result;
            var interactive = isTerminal() && Environment.GetEnvironmentVariable("CI") is null;
            try
            {
                if (interactive)
                {
                    result = await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
                    {
                        var task = context.AddTask("accounts");
                        var progress = new Progress<CollectionProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.AccountsTotal);
                            task.Value = p.AccountsDone;
                            task.Description = $"{p.Phase}: {p.AccountsDone}/{p.AccountsTotal} accounts, {p.Calls} calls, {p.Throttles} throttled, {p.Errors} errors";
                        });
                        return await new OrganizationCollector().CollectAsync(options, progress, log, cancellationToken).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                }
                else
                {
                    result = await new OrganizationCollector().CollectAsync(options, null, log, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (CollectionFailedException ex)
            {
                error.WriteLine($"error {ex.Code}: {ex.Message}");
                return ExitCodes.CollectionFailed;
            }
            catch (OperationCanceledException)
            {
                error.WriteLine($"error {Scripting.ScriptErrorCodes.Cancelled}: cancelled by a signal (Ctrl+C or SIGTERM) while collecting; no snapshot was written or replaced. Run collect again for a snapshot.");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonClientException
                                           or InvalidOperationException)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }

            var coverage = result.Coverage;
            output.WriteLine($"Wrote {result.OutputPath}: {coverage.ByStatus.Total} evidence records " +
                             $"({coverage.ByStatus.Ok} ok, {coverage.ByStatus.Error} error, {coverage.ByStatus.NotCollected} not collected) " +
                             $"from {coverage.AccountsActive} active accounts; {result.Calls} calls, {result.Throttles} throttled, in {result.Duration.TotalSeconds:F1} s.");
            output.WriteLine(types.Length == 0
                ? "Config inventory: no resource type asked for (the rule pack has no target: resource rule); resource rules will be InsufficientData. Pass --resource-types to collect some."
                : $"Config inventory: {result.Resources} configuration items of {types.Length} resource types; {(result.ResourceGaps == 0 ? "every account and region collected" : $"{result.ResourceGaps} account-regions not fully collected (their resource rules will be InsufficientData, see coverage.resources)")}.");
            if (coverage.AccountsFailed.Count > 0)
            {
                output.WriteLine($"Accounts with errors: {string.Join(", ", coverage.AccountsFailed)}. Their findings will be InsufficientData, never Pass.");
            }

            if (result.ErrorRateExceeded)
            {
                var failed = FormattableString.Invariant($"{result.CallsFailed} of {result.CallsAttempted} calls failed ({result.ErrorRate * 100:F1}%), above --max-error-rate {options.MaxErrorRate}");
                error.WriteLine(options.AllowPartial
                    ? $"error {CollectionFailureCodes.ErrorRateExceeded}: {failed}; --allow-partial wrote the partial snapshot to {options.OutputPath}. Check network access, throttling and the member role's permissions, then collect again."
                    : $"error {CollectionFailureCodes.ErrorRateExceeded}: {failed}; the partial snapshot is {CollectOptions.PartialPath(options.OutputPath)} and {options.OutputPath} was left as it was. " +
                      "Check network access, throttling and the member role's permissions, then collect again (or pass --allow-partial to write it to the target).");
                return ExitCodes.PartialCollection;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The Config resource types the pack's <c>target: resource</c> rules read, sorted.</summary>
    internal static string[] ResourceTypesOf(Core.Rules.RuleSet rules) =>
        [.. rules.Rules.Where(r => r.Target == Core.Rules.Model.TargetKind.Resource && r.ResourceType is not null).Select(r => r.ResourceType!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static Option<string[]> List(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };

    private static string[] Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Plain log lines on standard error, so standard output stays clean for the summary.</summary>
    private sealed class WriterLog(TextWriter writer, bool verbose) : ICollectionLog
    {
        private readonly Lock _gate = new();

        public void Log(CollectionLogLevel level, string message)
        {
            if (level == CollectionLogLevel.Debug && !verbose)
            {
                return;
            }

            lock (_gate)
            {
                writer.WriteLine($"{level.ToString().ToLowerInvariant()}: {message}");
            }
        }
    }
}
