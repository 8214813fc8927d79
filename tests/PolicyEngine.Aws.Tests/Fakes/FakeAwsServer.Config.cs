using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Tests.Fakes;

/// <summary>
/// AWS Config inventory: the organization aggregator (DescribeConfigurationAggregators, its sources' status,
/// SelectAggregateResourceConfig) and SelectResourceConfig in each account and region, with a few realistic
/// configuration items. Requests and answers follow the Config model (json 1.1, StarlingDoveService): Results are JSON
/// strings, Limit is at most 100, NextToken pages. The SQL is recognised only in the shape
/// <c>SELECT col, ... WHERE resourceType IN ('T', ...)</c>; anything else is InvalidExpressionException.
/// </summary>
public sealed partial class FakeAwsServer
{
    private const int DefaultSelectLimit = 100;

    /// <summary>The properties advanced queries may select (the configuration item's top-level fields).</summary>
    private static readonly HashSet<string> QueryableFields = new(StringComparer.Ordinal)
    {
        "accountId", "arn", "availabilityZone", "awsRegion", "configuration", "configurationItemCaptureTime", "configurationItemStatus",
        "configurationStateId", "resourceCreationTime", "resourceId", "resourceName", "resourceType", "supplementaryConfiguration", "tags", "version",
    };

    /// <summary>Select calls answered, per operation (every page).</summary>
    public ConcurrentDictionary<string, int> SelectCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>The expressions the Select operations received.</summary>
    public ConcurrentQueue<string> SelectExpressions { get; } = new();

    /// <summary>Every configuration item of an account in one region, in the advanced-query shape (all fields).</summary>
    public IEnumerable<JsonObject> ConfigItems(string account, string region)
    {
        var a = _org.Find(account);
        if (a is null || a.State != "ACTIVE" || !a.EnabledRegions.Contains(region))
        {
            yield break;
        }

        var index = _org.Accounts.IndexOf(a);
        const string captured = "2026-11-30T11:52:03.121Z";
        JsonObject Item(string type, string id, string name, string arn, JsonObject configuration, JsonObject supplementary, JsonArray tags) => new()
        {
            ["version"] = "1.3", ["accountId"] = account, ["configurationItemCaptureTime"] = captured, ["configurationItemStatus"] = "OK",
            ["configurationStateId"] = "1764503523121", ["arn"] = arn, ["resourceType"] = type, ["resourceId"] = id, ["resourceName"] = name,
            ["awsRegion"] = region, ["availabilityZone"] = "Not Applicable", ["resourceCreationTime"] = "2026-01-05T09:00:00.000Z",
            ["tags"] = tags, ["configuration"] = configuration, ["supplementaryConfiguration"] = supplementary,
        };

        JsonObject Bucket(string name, bool encrypted)
        {
            var supplementary = new JsonObject
            {
                ["BucketVersioningConfiguration"] = new JsonObject { ["status"] = "Off" },
                ["PublicAccessBlockConfiguration"] = new JsonObject { ["blockPublicAcls"] = true, ["ignorePublicAcls"] = true, ["blockPublicPolicy"] = true, ["restrictPublicBuckets"] = true },
            };
            if (encrypted)
            {
                supplementary["ServerSideEncryptionConfiguration"] = JsonNode.Parse("{\"rules\":[{\"applyServerSideEncryptionByDefault\":{\"sseAlgorithm\":\"aws:kms\",\"kmsMasterKeyID\":\"arn:aws:kms:" + region + ":" + account + ":key/k1\"},\"bucketKeyEnabled\":true}]}");
            }

            return Item("AWS::S3::Bucket", name, name, "arn:aws:s3:::" + name,
                new JsonObject { ["name"] = name, ["owner"] = new JsonObject { ["id"] = "c0ffee" + account }, ["creationDate"] = "2026-01-05T09:00:00.000Z" },
                supplementary, new JsonArray(new JsonObject { ["key"] = "owner", ["value"] = "team-" + index.ToString(CultureInfo.InvariantCulture) }));
        }

        if (region == _org.Regions[0])
        {
            yield return Bucket("logs-" + account, encrypted: true);
            if (index >= 4 && index % 2 == 0)
            {
                yield return Bucket("data-" + account, encrypted: false);
            }

            for (var i = 0; i < _org.ExtraBucketsPerAccount; i++)
            {
                yield return Bucket(string.Create(CultureInfo.InvariantCulture, $"bulk-{account}-{i:D5}"), encrypted: true);
            }
        }

        var detector = Detector(account, region);
        var enabled = !(account == FakeOrganization.NetworkAccount && region == "eu-west-1");
        yield return Item("AWS::GuardDuty::Detector", detector, detector, $"arn:aws:guardduty:{region}:{account}:detector/{detector}",
            new JsonObject { ["Id"] = detector, ["Enable"] = enabled, ["FindingPublishingFrequency"] = "SIX_HOURS" }, [], []);
    }

    private Reply DescribeAggregators(PlanEntry e, string account, string region, JsonObject p)
    {
        var agg = _org.Aggregator;
        var here = agg is not null && agg.Account == account && agg.Region == region;
        var names = (p["ConfigurationAggregatorNames"] as JsonArray)?.Select(n => n?.GetValue<string>()).ToList();
        if (names is { Count: > 0 } && (!here || !names.Contains(agg!.Name)))
        {
            return Fault(e, 400, "NoSuchConfigurationAggregatorException", $"The configuration aggregator does not exist: {string.Join(", ", names)}");
        }

        var list = new JsonArray();
        if (here)
        {
            list.Add(new JsonObject
            {
                ["ConfigurationAggregatorName"] = agg!.Name,
                ["ConfigurationAggregatorArn"] = $"arn:aws:config:{region}:{account}:config-aggregator/config-aggregator-fake0001",
                ["OrganizationAggregationSource"] = new JsonObject { ["RoleArn"] = $"arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", ["AllAwsRegions"] = true },
                ["CreationTime"] = 1767225600.0,
                ["LastUpdatedTime"] = 1767225600.0,
            });
        }

        return Ok(new JsonObject { ["ConfigurationAggregators"] = list });
    }

    private Reply AggregatorSourcesStatus(PlanEntry e, string account, string region, string name)
    {
        var agg = _org.Aggregator;
        if (agg is null || agg.Account != account || agg.Region != region || agg.Name != name)
        {
            return Fault(e, 400, "NoSuchConfigurationAggregatorException", $"The configuration aggregator does not exist: {name}");
        }

        var list = new JsonArray();
        foreach (var a in _org.Accounts.Where(a => a.State == "ACTIVE").OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            foreach (var r in a.EnabledRegions.Order(StringComparer.Ordinal))
            {
                var failed = _org.AggregatorSourceFailed.Contains(a.Id);
                var status = new JsonObject { ["SourceId"] = a.Id, ["SourceType"] = "ACCOUNT", ["AwsRegion"] = r, ["LastUpdateStatus"] = failed ? "FAILED" : "SUCCEEDED", ["LastUpdateTime"] = 1767225600.0 };
                if (failed)
                {
                    status["LastErrorCode"] = "AccessDenied";
                    status["LastErrorMessage"] = "Config is not authorized to read the source account.";
                }

                list.Add(status);
            }
        }

        return Ok(new JsonObject { ["AggregatedSourceStatusList"] = list });
    }

    /// <summary>SelectAggregateResourceConfig and SelectResourceConfig; null for any other config operation.</summary>
    private Reply? SelectAnswer(string target, string account, string region, byte[] body)
    {
        var op = target[(target.LastIndexOf('.') + 1)..];
        if (!target.StartsWith("StarlingDoveService.", StringComparison.Ordinal) || op is not ("SelectAggregateResourceConfig" or "SelectResourceConfig"))
        {
            return null;
        }

        static Reply Error(int status, string code, string message) => Json(status, code, message);
        SelectCalls.AddOrUpdate(op, 1, (_, n) => n + 1);
        if (_org.DenyService.Contains((account, "config")))
        {
            return Error(400, "AccessDeniedException", $"User: arn:aws:sts::{account}:assumed-role/{_org.RoleName}/s is not authorized to perform: config:{op}");
        }

        if (_org.AlwaysThrottle.Contains((account, region, "config", op)))
        {
            return Error(400, "ThrottlingException", "Rate exceeded");
        }

        if (_org.AlwaysFail.Contains((account, region, "config", op)))
        {
            return Error(500, "InternalFailure", "injected permanent failure");
        }

        var request = body.Length == 0 ? [] : (JsonObject)JsonNode.Parse(body)!;
        var expression = request["Expression"]?.GetValue<string>() ?? string.Empty;
        SelectExpressions.Enqueue(expression);
        var limit = request["Limit"] is JsonValue lv ? lv.GetValue<int>() : request["MaxResults"] is JsonValue mv ? mv.GetValue<int>() : 0;
        if (limit is < 0 or > 100)
        {
            return Error(400, "InvalidLimitException", "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        }

        var match = SelectShape().Match(expression);
        if (!match.Success)
        {
            return Error(400, "InvalidExpressionException", "The expression is not valid: the fake recognises SELECT fields WHERE resourceType IN (...) only.");
        }

        var fields = match.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries);
        if (fields.FirstOrDefault(f => !QueryableFields.Contains(f)) is { } unknown)
        {
            return Error(400, "InvalidExpressionException", $"Unknown property: {unknown}");
        }

        var types = QuotedType().Matches(match.Groups["types"].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        IEnumerable<JsonObject> items;
        if (op == "SelectAggregateResourceConfig")
        {
            var agg = _org.Aggregator;
            if (agg is null || agg.Account != account || agg.Region != region || request["ConfigurationAggregatorName"]?.GetValue<string>() != agg.Name)
            {
                return Error(400, "NoSuchConfigurationAggregatorException", "The configuration aggregator does not exist.");
            }

            items = _org.Accounts.Where(a => !_org.AggregatorSourceFailed.Contains(a.Id)).OrderBy(a => a.Id, StringComparer.Ordinal)
                .SelectMany(a => a.EnabledRegions.Order(StringComparer.Ordinal).SelectMany(r => ConfigItems(a.Id, r)));
        }
        else
        {
            items = ConfigItems(account, region);
        }

        var all = items.Where(i => types.Contains(i["resourceType"]!.GetValue<string>())).ToList();
        var offset = request["NextToken"]?.GetValue<string>() is { Length: > 0 } token ? int.Parse(token[3..], CultureInfo.InvariantCulture) : 0;
        var size = limit == 0 ? DefaultSelectLimit : limit;
        var results = new JsonArray();
        foreach (var item in all.Skip(offset).Take(size))
        {
            var projected = new JsonObject();
            foreach (var f in fields)
            {
                if (item[f] is { } v)
                {
                    projected[f] = v.DeepClone();
                }
            }

            results.Add(projected.ToJsonString());
        }

        var answer = new JsonObject
        {
            ["Results"] = results,
            ["QueryInfo"] = new JsonObject { ["SelectFields"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["Name"] = f })]) },
        };
        if (offset + size < all.Count)
        {
            answer["NextToken"] = "nt-" + (offset + size).ToString(CultureInfo.InvariantCulture);
        }

        return Ok(answer);
    }

    [GeneratedRegex(@"^\s*SELECT\s+(?<fields>\w+(?:\s*,\s*\w+)*)\s+WHERE\s+resourceType\s+IN\s*\((?<types>\s*'[^']+'(?:\s*,\s*'[^']+')*\s*)\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelectShape();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedType();
}
