using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PolicyEngine.Aws.Plan;

/// <summary>Where an operation is called.</summary>
public static class PlanScopes
{
    /// <summary>Once, with the caller's (management account's) credentials, region <c>global</c>.</summary>
    public const string Organization = "organization";
    /// <summary>Once per active account, region <c>global</c> (called in the partition's home region).</summary>
    public const string Account = "account";
    /// <summary>Once per active account and collected region.</summary>
    public const string AccountRegion = "account-region";

    /// <summary>All scopes the plan accepts: the three above plus <c>ROLE</c> and <c>ROLE-region</c> for the SRA roles management, securityTooling and logArchive.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Organization, Account, AccountRegion,
        "management", "management-region", "securityTooling", "securityTooling-region", "logArchive", "logArchive-region",
    ];

    /// <summary>True when the scope is called per region.</summary>
    public static bool IsRegional(string scope) => scope.EndsWith("-region", StringComparison.Ordinal);

    /// <summary>The SRA role a role scope needs, or null.</summary>
    public static string? Role(string scope)
    {
        var s = IsRegional(scope) ? scope[..^"-region".Length] : scope;
        return s is "management" or "securityTooling" or "logArchive" ? s : null;
    }
}

/// <summary>A service of the plan (one <c>collectors/*.yaml</c> file).</summary>
public sealed class PlanService
{
    /// <summary>SDK service id in lowercase (e.g. <c>guardduty</c>); also the evidence <c>service</c>.</summary>
    public required string Service { get; init; }
    /// <summary><c>json</c>, <c>rest-json</c>, <c>query</c>, <c>ec2</c> or <c>rest-xml</c>.</summary>
    public required string Protocol { get; init; }
    public string JsonVersion { get; init; } = "1.1";
    public string? TargetPrefix { get; init; }
    public required string EndpointPrefix { get; init; }
    public required string SigningName { get; init; }
    public string? ApiVersion { get; init; }
    /// <summary>Host template, default <c>{endpointPrefix}.{region}.{dnsSuffix}</c>; may use <c>{Param}</c> of the call.</summary>
    public string? HostPattern { get; init; }
    /// <summary>For global services: the region (endpoint and signing) per partition.</summary>
    public IReadOnlyDictionary<string, string> GlobalRegions { get; init; } = new Dictionary<string, string>();
    /// <summary>
    /// The vendored AWS service model (<c>SERVICE/API-VERSION</c>, see <see cref="ServiceModel"/>) every response is
    /// parsed through into the normal form of the evidence (SDK member names, typed values). Every shipped collector
    /// file names one; a custom plan without one records JSON as sent and XML untyped (text, wire names).
    /// </summary>
    public string? Model { get; init; }
    public string? Description { get; init; }
    public List<PlanEntry> Operations { get; } = [];
    /// <summary>The plan file that defines the service, as diagnostics show it; null for a plan parsed from text.</summary>
    public string? File { get; internal set; }
    /// <summary>1-based line and column of the file's top-level mapping (its first key, normally <c>service:</c>).</summary>
    public int Line { get; init; }
    /// <summary>See <see cref="Line"/>.</summary>
    public int Column { get; init; }
}

/// <summary>One call (or fan-out of calls) in the plan.</summary>
public sealed class PlanEntry
{
    public required PlanService Definition { get; init; }
    /// <summary>1-based line and column of the entry in its plan file (0 when unknown).</summary>
    public int Line { get; init; }
    /// <summary>See <see cref="Line"/>.</summary>
    public int Column { get; init; }
    /// <summary>Evidence <c>service</c> (SDK id, lowercase).</summary>
    public string Service => Definition.Service;
    /// <summary>API operation name (PascalCase).</summary>
    public required string Operation { get; init; }
    /// <summary>One of <see cref="PlanScopes.All"/>.</summary>
    public required string Scope { get; init; }
    /// <summary>The IAM action the call needs.</summary>
    public required string IamAction { get; init; }
    public string? Description { get; init; }
    /// <summary>HTTP method for REST protocols.</summary>
    public string Method { get; init; } = "POST";
    /// <summary>Path template for REST protocols (<c>/detector/{DetectorId}</c>).</summary>
    public string Path { get; init; } = "/";
    /// <summary>Fixed request parameters; strings may use <c>${account}</c>, <c>${region}</c>, <c>${partition}</c>.</summary>
    public JsonObject Parameters { get; init; } = [];
    /// <summary>Parameter placement for REST protocols: <c>path</c>, <c>body</c>, <c>query:NAME</c>, <c>header:NAME</c>.</summary>
    public IReadOnlyDictionary<string, string> Locations { get; init; } = new Dictionary<string, string>();
    /// <summary>Fan-out sources (union); empty for a single call.</summary>
    public IReadOnlyList<PlanForEach> ForEach { get; init; } = [];
    public PlanPagination? Pagination { get; init; }
    /// <summary>Fixed query parameters of REST calls (<c>http.query</c>, e.g. S3's <c>?encryption</c>); not recorded in evidence.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FixedQuery { get; init; } = [];
    /// <summary>Fans every call out over the organization's ACTIVE account ids, in batches (null: no such fan-out).</summary>
    public PlanOrganizationAccounts? OrganizationAccounts { get; init; }
    /// <summary>Parameters that identify the call in the evidence (default: all but pagination).</summary>
    public string Key => $"{Service}:{Operation}:{Scope}:{Parameters.ToJsonString()}";
}

/// <summary>One fan-out source: a fixed list of values, or the values selected from an earlier response.</summary>
public sealed class PlanForEach
{
    /// <summary>The request parameter that receives each value.</summary>
    public required string Parameter { get; init; }
    public IReadOnlyList<JsonNode?>? Values { get; init; }
    /// <summary>Earlier operation of the same service (or <c>service:Operation</c>) in the same account and region.</summary>
    public string? From { get; init; }
    /// <summary>
    /// Path into the source response, e.g. <c>Roots[].Id</c> or <c>DetectorIds[]</c>; a segment <c>Name[?Field==value]</c>
    /// spreads the list and keeps the items whose string member <c>Field</c> equals <c>value</c>.
    /// </summary>
    public string? Select { get; init; }
    /// <summary>Path into each selected item giving the parameter value (null: the selected value itself).</summary>
    public string? Value { get; init; }
    /// <summary>
    /// Path into each selected item naming the region where the call is made (for resources that live in one region but
    /// are listed in every region, e.g. a membership or a multi-Region trail's home region); null: the source's region.
    /// </summary>
    public string? Region { get; init; }
    /// <summary>Source-call parameters copied to the new call.</summary>
    public IReadOnlyList<string> Inherit { get; init; } = [];
    /// <summary>Wrap each value in a one-element list.</summary>
    public bool AsList { get; init; }
    /// <summary>Steps applied to each selected value (see <see cref="CollectionPlan.Transform"/>); a value a step rejects is skipped.</summary>
    public IReadOnlyList<string> Transform { get; init; } = [];
}

/// <summary>
/// Organization-level fan-out: each call of the entry is made once per batch of the organization's ACTIVE account ids
/// (sorted ordinally, at most <see cref="BatchSize"/> per batch), passed as a list in <see cref="Parameter"/>.
/// </summary>
public sealed class PlanOrganizationAccounts
{
    public required string Parameter { get; init; }
    public int BatchSize { get; init; } = 100;

    /// <summary>The batches of account ids (ordinal order), empty when there are none.</summary>
    public IEnumerable<IReadOnlyList<string>> Batches(IEnumerable<string> activeAccountIds) =>
        activeAccountIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(BatchSize);
}

/// <summary>Pagination tokens of an operation (wire names).</summary>
public sealed class PlanPagination
{
    public required string InputToken { get; init; }
    public required string OutputToken { get; init; }
    public IReadOnlyList<string> ResultKeys { get; init; } = [];
    public string? PageSizeParameter { get; init; }
    public int? PageSize { get; init; }
}

/// <summary>The declarative collection plan: every <c>collectors/*.yaml</c> file.</summary>
public sealed partial class CollectionPlan
{
    private CollectionPlan(IReadOnlyList<PlanService> services)
    {
        Services = services;
        Entries = [.. services.SelectMany(s => s.Operations)];
    }

    /// <summary>The services, sorted by id.</summary>
    public IReadOnlyList<PlanService> Services { get; }

    /// <summary>All operations of all services.</summary>
    public IReadOnlyList<PlanEntry> Entries { get; }

    /// <summary>Loads every <c>*.yaml</c> file of a directory (one service per file) and validates it.</summary>
    /// <exception cref="InvalidDataException">A file is malformed (the message names the file and the problem).</exception>
    public static CollectionPlan Load(string directory)
    {
        var services = new List<PlanService>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                services.Add(ParseService(File.ReadAllText(file)));
                services[^1].File = file;
            }
            catch (Exception ex) when (ex is not InvalidDataException)
            {
                throw new InvalidDataException($"{file}: {ex.Message}", ex);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"{file}: {ex.Message}", ex);
            }
        }

        services.Sort((a, b) => string.CompareOrdinal(a.Service, b.Service));
        var plan = new CollectionPlan(services);
        plan.Validate();
        plan.ThrowOnOverlaps();
        return plan;
    }

    /// <summary>Finds the plan directory: <c>collectors/</c> next to the working directory or one of its parents.</summary>
    public static string? FindDefaultDirectory(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "collectors");
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.yaml").Any())
            {
                return candidate;
            }
        }

        return null;
    }

    private void Validate()
    {
        var byName = Entries.GroupBy(e => (e.Service, e.Operation)).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var e in Entries)
        {
            if (!PlanScopes.All.Contains(e.Scope))
            {
                throw new InvalidDataException($"{e.Service}:{e.Operation}: unknown scope '{e.Scope}'");
            }

            foreach (var f in e.ForEach)
            {
                if (f.From is null)
                {
                    continue;
                }

                var (svc, op) = SplitFrom(e.Service, f.From);
                if (!byName.TryGetValue((svc, op), out var sources))
                {
                    throw new InvalidDataException($"{e.Service}:{e.Operation}: forEach from unknown operation '{f.From}'");
                }

                if (!sources.Any(s => PlanScopes.IsRegional(s.Scope) == PlanScopes.IsRegional(e.Scope)))
                {
                    throw new InvalidDataException($"{e.Service}:{e.Operation}: source '{f.From}' is never called in the same account and region");
                }

                if (f.Region is not null && !PlanScopes.IsRegional(e.Scope))
                {
                    throw new InvalidDataException($"{e.Service}:{e.Operation}: forEach 'region' needs a regional scope, not '{e.Scope}'");
                }
            }

            // A call made in another region runs outside its source's account-and-region context, so nothing may fan out from it.
            if (e.ForEach.Any(f => f.Region is not null) &&
                Entries.Any(d => d.ForEach.Any(f => f.From is not null && SplitFrom(d.Service, f.From) == (e.Service, e.Operation))))
            {
                throw new InvalidDataException($"{e.Service}:{e.Operation}: an operation called in another region (forEach 'region') cannot be the source of a forEach");
            }
        }
    }

    internal static (string Service, string Operation) SplitFrom(string service, string from)
    {
        var i = from.IndexOf(':', StringComparison.Ordinal);
        return i < 0 ? (service, from) : (from[..i], from[(i + 1)..]);
    }

    private static PlanService ParseService(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        string Req(YamlMappingNode m, string k) => Str(m, k) ?? throw new InvalidDataException($"missing '{k}'");

        var globals = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(root, "globalRegions") is YamlMappingNode g)
        {
            foreach (var (k, v) in g.Children)
            {
                globals[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value!;
            }
        }

        var svc = new PlanService
        {
            Service = Req(root, "service"),
            Protocol = Req(root, "protocol"),
            JsonVersion = Str(root, "jsonVersion") ?? "1.1",
            TargetPrefix = Str(root, "targetPrefix"),
            EndpointPrefix = Req(root, "endpointPrefix"),
            SigningName = Str(root, "signingName") ?? Req(root, "endpointPrefix"),
            ApiVersion = Str(root, "apiVersion"),
            HostPattern = Str(root, "hostPattern"),
            GlobalRegions = globals,
            Model = Str(root, "model"),
            Description = Str(root, "description"),
            Line = (int)root.Start.Line,
            Column = (int)root.Start.Column,
        };
        if (svc.Protocol is not ("json" or "rest-json" or "query" or "ec2" or "rest-xml"))
        {
            throw new InvalidDataException($"unknown protocol '{svc.Protocol}'");
        }

        if (Get(root, "responseKeys") is not null)
        {
            throw new InvalidDataException("'responseKeys' is replaced by 'model: SERVICE/API-VERSION' (SDK member names from the AWS service model)");
        }

        ServiceModel? model = null;
        if (svc.Model is not null)
        {
            model = ServiceModel.Find(svc.Model)
                ?? throw new InvalidDataException($"model '{svc.Model}' is not vendored; the vendored models are: {string.Join(", ", ServiceModel.Available)}");
            if (!model.Protocols.Contains(svc.Protocol))
            {
                throw new InvalidDataException($"model '{svc.Model}' is for protocol '{string.Join("' or '", model.Protocols)}', but the plan says '{svc.Protocol}'");
            }
        }

        var iamPrefix = Str(root, "iamPrefix") ?? svc.SigningName;
        foreach (var node in ((YamlSequenceNode?)Get(root, "operations"))?.Children ?? [])
        {
            var m = (YamlMappingNode)node;
            var op = Req(m, "operation");
            if (model is not null && !model.HasOperation(op))
            {
                throw new InvalidDataException($"{op}: not an operation of model '{model.Name}'");
            }

            if (Get(m, "xmlIntegers") is not null || Get(m, "xmlLists") is not null)
            {
                throw new InvalidDataException($"{op}: 'xmlIntegers' and 'xmlLists' are replaced by the service model, which types every member and list");
            }

            var http = Get(m, "http") as YamlMappingNode;
            var locations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Get(m, "locations") is YamlMappingNode loc)
            {
                foreach (var (k, v) in loc.Children)
                {
                    locations[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value!;
                }
            }

            var forEach = new List<PlanForEach>();
            foreach (var fe in ((YamlSequenceNode?)Get(m, "forEach"))?.Children ?? [])
            {
                var fm = (YamlMappingNode)fe;
                forEach.Add(new PlanForEach
                {
                    Parameter = Req(fm, "parameter"),
                    Values = Get(fm, "values") is YamlSequenceNode vals ? [.. vals.Children.Select(ToJson)] : null,
                    From = Str(fm, "from"),
                    Select = Str(fm, "select"),
                    Value = Str(fm, "value"),
                    Region = Str(fm, "region"),
                    Inherit = Get(fm, "inherit") is YamlSequenceNode inh ? [.. inh.Children.Select(c => ((YamlScalarNode)c).Value!)] : [],
                    AsList = Str(fm, "asList") == "true",
                    Transform = Get(fm, "transform") is YamlSequenceNode tr ? [.. tr.Children.Select(c => ((YamlScalarNode)c).Value!)]
                        : Str(fm, "transform") is { } one ? [one] : [],
                });
                foreach (var step in forEach[^1].Transform)
                {
                    if (!(step == "sqsQueueUrl" || step.StartsWith("json:", StringComparison.Ordinal)))
                    {
                        throw new InvalidDataException($"{op}: unknown forEach transform '{step}'");
                    }
                }
                if (forEach[^1].Values is null && (forEach[^1].From is null || forEach[^1].Select is null))
                {
                    throw new InvalidDataException($"{op}: forEach needs 'values' or 'from' and 'select'");
                }

                if ((forEach[^1].Value is not null || forEach[^1].Region is not null) && forEach[^1].From is null)
                {
                    throw new InvalidDataException($"{op}: forEach 'value' and 'region' need 'from' and 'select'");
                }
            }

            PlanPagination? pagination = null;
            if (Get(m, "pagination") is YamlMappingNode pm)
            {
                pagination = new PlanPagination
                {
                    InputToken = Req(pm, "inputToken"),
                    OutputToken = Req(pm, "outputToken"),
                    ResultKeys = Get(pm, "resultKeys") is YamlSequenceNode rk ? [.. rk.Children.Select(c => ((YamlScalarNode)c).Value!)] : [],
                    PageSizeParameter = Str(pm, "pageSizeParameter"),
                    PageSize = Str(pm, "pageSize") is { } ps ? int.Parse(ps, System.Globalization.CultureInfo.InvariantCulture) : null,
                };
            }

            svc.Operations.Add(new PlanEntry
            {
                Definition = svc,
                Line = (int)m.Start.Line,
                Column = (int)m.Start.Column,
                Operation = op,
                Scope = Req(m, "scope"),
                IamAction = Str(m, "iamAction") ?? $"{iamPrefix}:{op}",
                Description = Str(m, "description"),
                Method = http is null ? "POST" : Str(http, "method") ?? "POST",
                Path = http is null ? "/" : Str(http, "path") ?? "/",
                Parameters = Get(m, "parameters") is { } p ? (JsonObject)ToJson(p)! : [],
                Locations = locations,
                ForEach = forEach,
                Pagination = pagination,
                FixedQuery = http is not null && Get(http, "query") is YamlMappingNode hq
                    ? [.. hq.Children.Select(kv => new KeyValuePair<string, string>(((YamlScalarNode)kv.Key).Value!, ((YamlScalarNode)kv.Value).Value ?? string.Empty))]
                    : [],
                OrganizationAccounts = Get(m, "organizationAccounts") is YamlMappingNode oa
                    ? new PlanOrganizationAccounts
                    {
                        Parameter = Req(oa, "parameter"),
                        BatchSize = Str(oa, "batchSize") is { } bs ? int.Parse(bs, System.Globalization.CultureInfo.InvariantCulture) : 100,
                    }
                    : null,
            });
            if (svc.Operations[^1].OrganizationAccounts is { BatchSize: < 1 })
            {
                throw new InvalidDataException($"{op}: organizationAccounts.batchSize must be at least 1");
            }
        }

        return svc;
    }

    private static YamlNode? Get(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Str(YamlMappingNode m, string key) => Get(m, key) is YamlScalarNode s ? s.Value : null;

    /// <summary>YAML to JSON: plain scalars true/false/integers become JSON booleans/numbers, quoted ones stay strings.</summary>
    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    o[((YamlScalarNode)k).Value!] = ToJson(v);
                }

                return o;
            case YamlSequenceNode seq:
                var a = new JsonArray();
                foreach (var c in seq.Children)
                {
                    a.Add(ToJson(c));
                }

                return a;
            case YamlScalarNode s:
                if (s.Style == YamlDotNet.Core.ScalarStyle.Plain)
                {
                    if (s.Value is "true" or "false")
                    {
                        return JsonValue.Create(s.Value == "true");
                    }

                    if (long.TryParse(s.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l))
                    {
                        return JsonValue.Create(l);
                    }

                    if (s.Value is "null" or "~")
                    {
                        return null;
                    }
                }

                return JsonValue.Create(s.Value);
            default:
                throw new InvalidDataException("unsupported YAML node");
        }
    }

    /// <summary>
    /// Applies forEach transform steps to a selected value; null when a step rejects it (the value is then skipped).
    /// <c>json:FIELD</c>: the value is a JSON document (or a string holding one); take its field FIELD.
    /// <c>sqsQueueUrl</c>: an SQS queue ARN (<c>arn:PARTITION:sqs:REGION:ACCOUNT:NAME</c>) becomes its queue URL
    /// (<c>https://sqs.REGION.DNS-SUFFIX/ACCOUNT/NAME</c>); a queue URL of that form is kept as it is; any other value is rejected.
    /// </summary>
    public static JsonNode? Transform(JsonNode? value, IReadOnlyList<string> steps)
    {
        foreach (var step in steps)
        {
            if (value is null)
            {
                return null;
            }

            if (step.StartsWith("json:", StringComparison.Ordinal))
            {
                var doc = value;
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    try
                    {
                        doc = JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                }

                value = doc is JsonObject o && o.TryGetPropertyValue(step[5..], out var field) ? field?.DeepClone() : null;
            }
            else if (step == "sqsQueueUrl")
            {
                if (value is not JsonValue sv || !sv.TryGetValue<string>(out var arn))
                {
                    return null;
                }

                if (SqsQueueUrl().IsMatch(arn))
                {
                    continue; // already a queue URL (AWS gives subscriber endpoints in either form)
                }

                var parts = arn.Split(':');
                if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[3].Length == 0 || parts[4].Length != 12 || parts[5].Length == 0)
                {
                    return null;
                }

                value = JsonValue.Create($"https://sqs.{parts[3]}.{AwsPartitions.DnsSuffix(parts[1])}/{parts[4]}/{parts[5]}");
            }
            else
            {
                throw new InvalidOperationException($"unknown transform '{step}'");
            }
        }

        return value;
    }

    /// <summary>Selects values from a response by a path like <c>a.b[].c</c> (nulls skipped, scalars and objects kept).</summary>
    internal static IEnumerable<JsonElement> Select(JsonElement root, string path)
    {
        IEnumerable<JsonElement> current = [root];
        foreach (var segment in path.Split('.'))
        {
            var raw = segment;
            string? filterField = null;
            string? filterValue = null;
            var open = raw.IndexOf("[?", StringComparison.Ordinal);
            if (open >= 0 && raw.EndsWith(']'))
            {
                var condition = raw[(open + 2)..^1];
                var eq = condition.IndexOf("==", StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new InvalidOperationException($"malformed filter in select path '{path}'");
                }

                filterField = condition[..eq];
                filterValue = condition[(eq + 2)..];
                raw = raw[..open] + "[]";
            }

            var spread = raw.EndsWith("[]", StringComparison.Ordinal);
            var name = spread ? raw[..^2] : raw;
            var next = new List<JsonElement>();
            foreach (var el in current)
            {
                var v = el;
                if (name.Length > 0)
                {
                    if (el.ValueKind != JsonValueKind.Object || !el.TryGetProperty(name, out v))
                    {
                        continue;
                    }
                }

                if (spread)
                {
                    if (v.ValueKind == JsonValueKind.Array)
                    {
                        next.AddRange(filterField is null ? v.EnumerateArray()
                            : v.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(filterField, out var f)
                                && f.ValueKind == JsonValueKind.String && f.GetString() == filterValue));
                    }
                }
                else
                {
                    next.Add(v);
                }
            }

            current = next;
        }

        return current.Where(e => e.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined));
    }

    /// <summary>An SQS queue URL: <c>https://sqs.REGION.amazonaws.com[.cn]/ACCOUNT/NAME</c> (queue names: letters, digits, <c>-</c>, <c>_</c>, optional <c>.fifo</c>).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^https://sqs\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?/[0-9]{12}/[A-Za-z0-9_-]{1,80}(\.fifo)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex SqsQueueUrl();
}
