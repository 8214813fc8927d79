using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Docs;

/// <summary>Generates <c>docs/collect.md</c> from the collection plan (IAM policy, trust policy, how to run, the plan).</summary>
public static class CollectDocs
{
    /// <summary>The IAM policy document the member role needs: every action of the plan, sorted.</summary>
    public static string IamPolicy(CollectionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // The Config inventory's own calls (not plan entries) need their actions too.
        var actions = plan.Entries.Select(e => e.IamAction).Append("account:ListRegions")
            .Concat(["config:DescribeConfigurationAggregators", "config:DescribeConfigurationAggregatorSourcesStatus", "config:SelectAggregateResourceConfig", "config:SelectResourceConfig"])
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var doc = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Sid"] = "PolicyEngineReadOnly",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray([.. actions.Select(a => JsonValue.Create(a))]),
                ["Resource"] = "*",
            }),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The trust policy of the member role.</summary>
    public static string TrustPolicy() =>
        new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = "arn:aws:iam::<COLLECTOR_ACCOUNT_ID>:role/<COLLECTOR_ROLE_NAME>" },
                ["Action"] = "sts:AssumeRole",
                ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["sts:ExternalId"] = "<EXTERNAL_ID>" } },
            }),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The whole markdown document.</summary>
    public static string Generate(CollectionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append("""
            # Collecting an AWS organization

            <!-- Generated from collectors/*.yaml by PolicyEngine.Aws (CollectDocs). Do not edit by hand:
                 regenerate with `UPDATE_DOCS=1 dotnet test tests/PolicyEngine.Aws.Tests --filter CollectDocsTests`. -->

            `policy-engine collect` reads a whole AWS organization into a snapshot (snapshot format v1, see
            `docs/snapshot-format.md`). It runs with the credentials of the **management account** (or an Organizations
            delegated administrator), found through the AWS SDK's default chain: environment variables, shared profiles
            (including IAM Identity Center/SSO profiles), web identity, container and instance metadata. It calls
            AWS Organizations with those credentials, then assumes a read-only role in every `ACTIVE` account
            (Organizations `State`, or the retiring `Status`) and calls each planned operation there.

            Nothing here needs the AWS service SDKs: requests are signed with SigV4 (AWSSDK.Core) and sent over plain HTTPS,
            with retries (jittered exponential backoff on throttling, 5xx and connection failures) and bounded concurrency.
            A call that still fails becomes an evidence record with status `error` (or `notCollected` for disabled regions,
            opted-out services and calls whose input depended on a failed call); the run goes on and the snapshot ends with a
            `coverage` summary by status, service and account. The snapshot is written to a temporary file in the target
            directory, flushed to disk and renamed, so an interrupted run never leaves a half-written file. Credentials are
            never written to the snapshot or the logs.

            ## When collection fails

            | what happened | exit code | what is written |
            | --- | --- | --- |
            | `sts:GetCallerIdentity` fails (unknown or expired credentials, no network): `PE8020` | 4 | nothing; one line on standard error says what failed, AWS's error code and message (or the network error), and what to check |
            | `organizations:DescribeOrganization` or `ListAccounts` fails and `--management-account` is not given: `PE8021` | 4 | nothing; one line, as above. `AWSOrganizationsNotInUseException` is not a failure: the caller is collected as a standalone account |
            | more than `--max-error-rate` of the account phase's calls end with status `error` (errors ÷ (ok + errors)): `PE8022` | 5 | the snapshot goes **beside** the target, as `<output>.partial`; an earlier snapshot at `--output` is left byte for byte as it was. With `--allow-partial` it is written to `--output` (still exit code 5) |
            | otherwise | 0 | the snapshot at `--output` |

            Standard error carries progress lines (`information:`, `warning:`); one `debug:` line per failed call only with
            `--verbose`. See `docs/diagnostics.md` for each code.

            ## The member role

            Create a role named **`PolicyEngineReadOnly`** (or pass `--role-name`) in every account, for example with a
            service-managed CloudFormation StackSet plus one stack in the management account. Its trust policy lets the
            collecting principal assume it; the external id condition is optional (pass the value with `--external-id`):

            ```json

            """);
        sb.Append(TrustPolicy()).Append("\n```\n\n");
        sb.Append("""
            Its permissions policy is every action of the collection plan (read-only). Attach it to the member role; the
            management account's collecting principal needs the same actions (the `organization`-scope ones are only called
            there) plus `sts:AssumeRole` on `arn:aws:iam::*:role/PolicyEngineReadOnly`:

            ```json

            """);
        sb.Append(IamPolicy(plan)).Append("\n```\n\n");
        sb.Append("""
            ## Running a collection

            ```sh
            # credentials of the management account, e.g. an SSO profile
            export AWS_PROFILE=org-management
            policy-engine collect --output snapshot.json.gz \
                --regions us-east-1,eu-west-1 \
                --security-tooling-account 222222222222 --log-archive-account 333333333333
            ```

            | flag | meaning |
            | --- | --- |
            | `--output PATH` | snapshot file (default `snapshot.json`); written to a temporary file, flushed, then renamed |
            | `--gzip` | compress the snapshot (also implied by a `.json.gz` output path) |
            | `--regions R[,R...]` (repeatable) | the governed regions; without it, every region some account has enabled (`account:ListRegions`) is governed and collected |
            | `--account ID` (repeatable) | collect only these accounts (default: every ACTIVE account) |
            | `--shard INDEX/COUNT` | collect only the accounts of this shard; shard 0 also writes the organization. Merge the shards' snapshots with `policy-engine merge` before evaluating ([scaling.md](scaling.md#collecting-in-shards-collect---shard-and-merged-snapshots)) |
            | `--role-name NAME` | member role to assume (default `PolicyEngineReadOnly`) |
            | `--external-id ID` | external id for AssumeRole |
            | `--management-account ID` | the management account, when it cannot be inferred (DescribeOrganization denied); it then takes the `management` role (`configured`). Without it the role is DescribeOrganization's `MasterAccountId`, or, for an account that belongs to no organization (`AWSOrganizationsNotInUseException`), the caller's own account, collected as the one account (`standalone`) |
            | `--security-tooling-account ID`, `--log-archive-account ID`, `--network-account ID`, `--shared-services-account ID` (repeatable) | configured SRA roles; without them Security Tooling and Log Archive are inferred from Control Tower account names (`Audit`, `Log Archive`) and from delegated administrators (GuardDuty/Security Hub → Security Tooling, Security Lake → Log Archive) |
            | `--concurrency N` | calls in flight overall (default 32; 16 per service, 4 for Organizations) |
            | `--profile NAME` | AWS profile for the source credentials (default: the standard credential chain) |
            | `--credentials-from-env` | take the source credentials only from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` |
            | `--max-error-rate R` | share of calls (0 to 1, default 0.2) that may fail before the run is partial (exit code 5, snapshot written as `<output>.partial`) |
            | `--allow-partial` | write a partial run to `--output` anyway (the exit code is still 5) |
            | `--verbose`, `-v` | also log one `debug:` line per failed call |
            | `--resource-types T[,T...]` (repeatable) | AWS Config resource types to inventory (`AWS::S3::Bucket`, ...); default: the types the `--rules` pack's `target: resource` rules read (the shipped pack has none, so by default none is read and resource rules are InsufficientData) |
            | `--rules PATH` (repeatable) | the rule pack whose resource rules decide the default `--resource-types` (default: the shipped pack; `builtin` names it) |
            | `--config-aggregator ACCOUNT/NAME` | the Config aggregator to read the inventory from (default: an organization aggregator in a Security Tooling account) |
            | `--endpoint-url URL` | send every call to this base URL (tests and emulators) |
            | `--collectors DIR` | collection plan directory (default: the plan shipped with the tool, `collectors/`) |

            Regions a governed list names but an account has not enabled become `notCollected` records. The partition
            (`aws`, `aws-us-gov`, `aws-cn`) follows the first region.

            ## AWS Config inventory

            `target: resource` rules check AWS Config configuration items. After the accounts, `collect` reads the items of
            the resource types asked for (`--resource-types`, by default those the pack's resource rules read) into the
            snapshot's `resources`, normalised exactly as `policy-engine import` normalises them (one normaliser,
            `src/PolicyEngine.Aws/ConfigItems/`):

            1. **The aggregator.** In the account `--config-aggregator` names, else in each Security Tooling account,
               `config:DescribeConfigurationAggregators` is read in the collected regions (the partition's home region
               first); an organization aggregator is preferred. Its items come from one query,
               `config:SelectAggregateResourceConfig`, 100 items a page (`Limit`, the model's maximum), following
               `NextToken`, with `SELECT resourceId, resourceType, resourceName, arn, accountId, awsRegion,
               availabilityZone, version, configurationItemCaptureTime, configurationItemStatus, configurationStateId,
               resourceCreationTime, tags, configuration, supplementaryConfiguration WHERE resourceType IN (...)` (split
               into several queries when the type list would pass Config's 4,096-character limit).
               `config:DescribeConfigurationAggregatorSourcesStatus` says which sources are current: an account and
               region whose source is `FAILED` or `OUTDATED`, or is not listed, is partial (or not collected when the
               aggregator holds none of its items).
            2. **Per account.** Without an aggregator, and for the accounts and regions the aggregator does not
               aggregate, `config:SelectResourceConfig` runs the same query in each account and region, with the member
               role.

            `coverage.resources` ([snapshot-format.md](snapshot-format.md#coverageresources)) records, per account and
            region, whether its items were `collected`, `partial` or `notCollected` and why (the error code and message,
            throttling after the retries, the aggregator's source status, the page limit). Resource rules give
            InsufficientData for each account and region that is not `collected`, and for types not asked for, never a
            pass on items nobody read. Why the Select operations rather than `ListAggregateDiscoveredResources` plus
            `BatchGetAggregateResourceConfig`: see [benchmarks.md](benchmarks.md#config-inventory-select-or-list-and-batch-get).

            ## Importing exported AWS Config data

            `policy-engine import FILE...  --output snapshot.json` builds a snapshot whose `resources` are AWS Config
            configuration items, from Config snapshot files as delivered to S3 (`*.json.gz` or `.json`), from
            `select-aggregate-resource-config` / `select-resource-config` output, or from API-dialect items
            (`get-resource-config-history`, `batch-get-aggregate-resource-config`, `get-aggregate-resource-config`). All are
            normalised into the S3 delivery dialect (configuration as objects; known double-encoded values parsed). Such a
            snapshot has no `organization` section and no evidence; `coverage` marks them not collected. A live snapshot
            and imported files can be combined with `policy-engine merge`.

            ## The collection plan

            The plan is data: one file per service in `collectors/*.yaml`. Adding a data source needs no C#: add an
            operation with its `scope`, protocol details (`http` method and path for REST protocols; the target prefix is
            per service for JSON protocols), `parameters`, `forEach` fan-out (fixed `values`, or `from` an earlier
            operation in the same account and region with a `select` path such as `Roots[].Id`, where a segment
            `List[?Field==value]` keeps the items whose `Field` is `value`; `value` picks the parameter from each selected
            item and `region` names the item's member that holds the region where the call is made, for resources that live
            in one region but are listed in every region, such as a multi-Region trail or a Security Incident Response
            membership: such a call is made once per account and recorded in that region; `inherit` copies parameters of
            the source call) and `pagination` tokens. Each file names its AWS service model (`model: SERVICE/VERSION`,
            vendored in `src/PolicyEngine.Aws/ServiceModels/`), and every response, whatever the protocol, is parsed with
            it into the normal form of [snapshot-format.md](snapshot-format.md#the-normal-form-of-responses): SDK member
            names instead of wire names (API Gateway's `item` list becomes `items`, GuardDuty's `dnsLogs` becomes
            `DNSLogs`, EC2's `verifiedAccessInstanceSet` becomes `VerifiedAccessInstances`), typed numbers and booleans,
            lists always arrays, one timestamp form. `select` paths, pagination result keys and output tokens use SDK
            names, input tokens the request's names. Scopes:

            | scope | where it is called |
            | --- | --- |
            | `organization` | once, with the caller's credentials, region `global` |
            | `account` | every active account, region `global` (called in the partition's home region) |
            | `account-region` | every active account × collected region |
            | `management`, `securityTooling`, `logArchive` | the accounts with that SRA role, region `global` |
            | `management-region`, `securityTooling-region`, `logArchive-region` | those accounts × collected regions |

            Every key of a plan file:

            | key | where | meaning |
            | --- | --- | --- |
            | `service` | file | SDK service id in lowercase (e.g. `guardduty`); the evidence's `service` |
            | `description` | file, entry | what the service or call is for (documentation only) |
            | `protocol` | file | `json`, `rest-json`, `query`, `ec2` or `rest-xml` |
            | `jsonVersion`, `targetPrefix` | file | `json` protocol: content type version (default `1.1`) and `X-Amz-Target` prefix |
            | `apiVersion` | file | `query` and `ec2` protocols: the `Version` parameter |
            | `endpointPrefix`, `signingName` | file | the endpoint's host prefix and the SigV4 service name |
            | `hostPattern` | file | host template, default `{endpointPrefix}.{region}.{dnsSuffix}`; may use `{Param}` of the call |
            | `globalRegions` | file | global services: the region used for endpoint and signing, per partition (`aws: us-east-1`) |
            | `model` | file | vendored AWS service model (`SERVICE/VERSION`, under `src/PolicyEngine.Aws/ServiceModels/`) every response is parsed with into the normal form ([snapshot-format.md](snapshot-format.md#the-normal-form-of-responses)); every shipped file names one. Without it (a custom plan) JSON is recorded as sent and XML as text under wire names, and numeric comparisons on XML members warn (`PE1041`) |
            | `iamPrefix` | file | the IAM action prefix when it differs from `signingName` |
            | `operations` | file | the list of entries below |
            | `operation` | entry | the API operation (PascalCase) |
            | `scope` | entry | where it is called (table above) |
            | `iamAction` | entry | the IAM action when it is not `<iamPrefix>:<operation>` |
            | `http` | entry | REST protocols: `method`, `path` (`/detector/{DetectorId}`) and fixed `query` parameters (not recorded in evidence, e.g. S3's `?encryption`) |
            | `locations` | entry | REST protocols: where a parameter goes, `path`, `body`, `query:NAME` or `header:NAME` |
            | `parameters` | entry | fixed request parameters; `${account}`, `${region}` and `${partition}` are substituted; recorded in the evidence key |
            | `forEach` | entry | fan-out sources (a union): `parameter` with fixed `values`, or `from` (an operation of the service, or `service:Operation`) with `select`, optionally `value`, `region`, `inherit`, `asList: true` (pass each value as a one-element list) and `transform` (`json:FIELD`: take FIELD of a JSON document; `sqsQueueUrl`: an SQS queue ARN becomes its URL; a value a step rejects is skipped) |
            | `organizationAccounts` | entry | call once per batch of the organization's active account ids, passed as a list in `parameter` (`batchSize`, default 100) |
            | `pagination` | entry | `inputToken` (request parameter), `outputToken` and `resultKeys` (SDK member names of the response; lists merged across pages), optional `pageSizeParameter` and `pageSize` |

            One operation may appear in several entries only when they can never make the same call: scopes that cannot
            meet in one account and region, or different values of a fixed parameter (`wafv2:ListWebACLs` with `Scope:
            REGIONAL` per region and `Scope: CLOUDFRONT` per account). Overlapping entries are `PE8002`; to call an
            operation for more inputs, add a `forEach` item to its entry. Plan mistakes are located diagnostics (`PE8001`
            to `PE8003`, see [diagnostics.md](diagnostics.md#collection-pe8xxx)).

            Regenerate this document after changing the plan (command in the comment at the top); a test fails while it is stale.

            | service | operation | scope | IAM action | fan-out |
            | --- | --- | --- | --- | --- |

            """);
        foreach (var e in plan.Entries.OrderBy(e => e.Service, StringComparer.Ordinal).ThenBy(e => e.Operation, StringComparer.Ordinal).ThenBy(e => e.Scope, StringComparer.Ordinal))
        {
            var fan = string.Join("; ", e.ForEach.Select(f => f.Values is not null
                ? $"{f.Parameter} ∈ {string.Join(", ", f.Values.Select(v => v?.ToString()))}"
                : $"{f.Parameter} from {f.From} `{f.Select}`" + (f.Value is null ? string.Empty : $" → `{f.Value}`") + (f.Region is null ? string.Empty : $", in the region `{f.Region}`")));
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {e.Service} | {e.Operation} | {e.Scope} | `{e.IamAction}` | {fan} |\n");
        }

        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\nDefault role name: `{CollectOptions.DefaultRoleName}`.\n");
        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
