using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Amazon.Runtime;
using PolicyEngine.Aws.Http;

namespace PolicyEngine.Aws.Plan;

/// <summary>Partition facts: DNS suffix and home region (where global and account-level calls go).</summary>
internal static class AwsPartitions
{
    public static string DnsSuffix(string partition) => partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";

    public static string HomeRegion(string partition) => partition switch
    {
        "aws-cn" => "cn-northwest-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    };

    /// <summary>True when <paramref name="region"/> is a well-formed region name (<c>eu-west-1</c>, <c>us-gov-west-1</c>) of the partition.</summary>
    public static bool IsRegionOf(string region, string partition) =>
        region.Length is > 0 and <= 32 && region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && char.IsAsciiLetterLower(region[0]) && char.IsAsciiDigit(region[^1]) && !region.Contains("--", StringComparison.Ordinal)
        && FromRegion(region) == partition;

    public static string FromRegion(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
}

/// <summary>Outcome of one planned call, pages merged.</summary>
internal sealed class CallOutcome
{
    public JsonNode? Response { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public int HttpStatus { get; init; }
    public bool Ok => ErrorCode is null;
}

/// <summary>Turns a plan entry plus parameters into signed requests (any protocol), follows pagination and merges pages.</summary>
internal sealed class OperationInvoker(AwsHttpClient client, string partition, Uri? endpointOverride)
{
    private const int MaxPages = 10_000;

    public string Partition => partition;

    /// <summary>The region an entry is called in: the context region, or the service's global/home region.</summary>
    public string CallRegion(PlanEntry entry, string? region) =>
        region ?? (entry.Definition.GlobalRegions.TryGetValue(partition, out var g) ? g : AwsPartitions.HomeRegion(partition));

    public async Task<CallOutcome> InvokeAsync(PlanEntry entry, JsonObject parameters, string? region, ImmutableCredentials credentials, CancellationToken ct)
    {
        var callRegion = CallRegion(entry, region);
        var pages = new List<JsonNode>();
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var request = BuildRequest(entry, parameters, callRegion, token);
            var response = await client.SendAsync(request, credentials, ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return new CallOutcome { ErrorCode = response.ErrorCode ?? "Unknown", ErrorMessage = response.ErrorMessage, HttpStatus = response.HttpStatus };
            }

            // Each page is in the normal form (SDK member names) before pages are merged: pagination keys are SDK names.
            JsonNode node;
            try
            {
                node = ParseBody(entry, response.Body);
            }
            catch (Exception ex) when (ex is JsonException or XmlException)
            {
                return new CallOutcome { ErrorCode = "InvalidResponse", ErrorMessage = ex.Message, HttpStatus = response.HttpStatus };
            }

            pages.Add(node);
            if (entry.Pagination is null)
            {
                break;
            }

            token = node is JsonObject o && o.TryGetPropertyValue(entry.Pagination.OutputToken, out var t) && t is JsonValue tv && tv.TryGetValue<string>(out var ts) && ts.Length > 0 ? ts : null;
            if (token is null || !seen.Add(token))
            {
                break;
            }
        }

        return new CallOutcome { Response = Merge(entry, pages), HttpStatus = 200 };
    }

    private static JsonNode Merge(PlanEntry entry, List<JsonNode> pages)
    {
        var first = pages[0];
        if (entry.Pagination is null || first is not JsonObject firstObj)
        {
            return first;
        }

        foreach (var key in entry.Pagination.ResultKeys)
        {
            var all = new JsonArray();
            foreach (var p in pages)
            {
                if (p is JsonObject po && po[key] is JsonArray arr)
                {
                    foreach (var item in arr)
                    {
                        all.Add(item?.DeepClone());
                    }
                }
            }

            if (firstObj.ContainsKey(key) || all.Count > 0)
            {
                firstObj[key] = all;
            }
        }

        firstObj.Remove(entry.Pagination.OutputToken);
        return firstObj;
    }

    internal AwsRequest BuildRequest(PlanEntry entry, JsonObject parameters, string callRegion, string? token)
    {
        var def = entry.Definition;
        var p = (JsonObject)parameters.DeepClone();
        if (entry.Pagination is { } pg)
        {
            if (token is not null)
            {
                p[pg.InputToken] = token;
            }

            if (pg.PageSizeParameter is not null && pg.PageSize is not null)
            {
                p[pg.PageSizeParameter] = pg.PageSize.Value;
            }
        }

        var endpoint = endpointOverride ?? new Uri("https://" + Host(def, p, callRegion));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (def.Protocol)
        {
            case "json":
                headers["X-Amz-Target"] = $"{def.TargetPrefix}.{entry.Operation}";
                return new AwsRequest
                {
                    Service = def.Service, SigningName = def.SigningName, SigningRegion = callRegion, Endpoint = endpoint,
                    Method = "POST", Path = "/", Headers = headers, Body = Encoding.UTF8.GetBytes(p.ToJsonString()),
                    ContentType = "application/x-amz-json-" + def.JsonVersion,
                };
            case "query":
            case "ec2":
                var form = new List<KeyValuePair<string, string>> { new("Action", entry.Operation), new("Version", def.ApiVersion ?? string.Empty) };
                foreach (var (k, v) in p)
                {
                    Flatten(form, k, v, def.Protocol == "ec2");
                }

                var body = string.Join('&', form.Select(kv => SigV4.UriEncode(kv.Key) + "=" + SigV4.UriEncode(kv.Value)));
                return new AwsRequest
                {
                    Service = def.Service, SigningName = def.SigningName, SigningRegion = callRegion, Endpoint = endpoint,
                    Method = "POST", Path = "/", Body = Encoding.UTF8.GetBytes(body), ContentType = "application/x-www-form-urlencoded; charset=utf-8",
                };
            default:
                var path = entry.Path;
                var query = new List<KeyValuePair<string, string>>(entry.FixedQuery);
                var bodyObj = new JsonObject();
                foreach (var (k, v) in p)
                {
                    var placeholder = "{" + k + "}";
                    if (path.Contains(placeholder, StringComparison.Ordinal))
                    {
                        path = path.Replace(placeholder, SigV4.UriEncode(Scalar(v)), StringComparison.Ordinal);
                        continue;
                    }

                    var loc = entry.Locations.TryGetValue(k, out var l) ? l : entry.Method is "GET" or "DELETE" or "HEAD" ? "query:" + k : "body";
                    if (loc.StartsWith("query:", StringComparison.Ordinal))
                    {
                        if (v is JsonArray arr)
                        {
                            query.AddRange(arr.Select(x => new KeyValuePair<string, string>(loc[6..], Scalar(x))));
                        }
                        else
                        {
                            query.Add(new(loc[6..], Scalar(v)));
                        }
                    }
                    else if (loc.StartsWith("header:", StringComparison.Ordinal))
                    {
                        headers[loc[7..]] = Scalar(v);
                    }
                    else if (loc != "path" && loc != "host")
                    {
                        bodyObj[k] = v?.DeepClone();
                    }
                }

                var hasBody = entry.Method is "POST" or "PUT" or "PATCH";
                return new AwsRequest
                {
                    Service = def.Service, SigningName = def.SigningName, SigningRegion = callRegion, Endpoint = endpoint,
                    Method = entry.Method, Path = path, Query = query, Headers = headers,
                    Body = hasBody && def.Protocol == "rest-json" ? Encoding.UTF8.GetBytes(bodyObj.ToJsonString()) : [],
                    ContentType = hasBody && def.Protocol == "rest-json" ? "application/json" : null,
                    S3Style = def.Protocol == "rest-xml",
                };
        }
    }

    private string Host(PlanService def, JsonObject p, string region)
    {
        var host = (def.HostPattern ?? "{endpointPrefix}.{region}.{dnsSuffix}")
            .Replace("{endpointPrefix}", def.EndpointPrefix, StringComparison.Ordinal)
            .Replace("{region}", region, StringComparison.Ordinal)
            .Replace("{dnsSuffix}", AwsPartitions.DnsSuffix(partition), StringComparison.Ordinal);
        foreach (var (k, v) in p)
        {
            host = host.Replace("{" + k + "}", Scalar(v), StringComparison.Ordinal);
        }

        return host;
    }

    private static void Flatten(List<KeyValuePair<string, string>> form, string prefix, JsonNode? v, bool ec2)
    {
        switch (v)
        {
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Flatten(form, ec2 ? $"{prefix}.{i + 1}" : $"{prefix}.member.{i + 1}", a[i], ec2);
                }

                break;
            case JsonObject o:
                foreach (var (k, c) in o)
                {
                    Flatten(form, $"{prefix}.{k}", c, ec2);
                }

                break;
            default:
                form.Add(new(prefix, Scalar(v)));
                break;
        }
    }

    internal static string Scalar(JsonNode? v) => v switch
    {
        null => string.Empty,
        JsonValue jv when jv.TryGetValue<string>(out var s) => s,
        JsonValue jv when jv.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => v.ToJsonString(),
    };

    /// <summary>The body in the normal form of the evidence, read through the service model (see <see cref="ServiceModel.ParseResponse"/>).</summary>
    internal static JsonObject ParseBody(PlanEntry entry, byte[] body) => entry.Definition.Model is { } model
        ? ServiceModel.Find(model)!.ParseResponse(entry.Operation, entry.Definition.Protocol, body)
        : ServiceModel.ParseUntyped(entry.Operation, entry.Definition.Protocol, body);
}
