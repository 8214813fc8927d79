using System.Collections.Concurrent;
using System.Text.Json;

namespace PolicyEngine.Aws.Plan;

/// <summary>
/// An AWS service model (botocore's <c>service-2.json</c>, vendored pruned under <c>ServiceModels/</c> and embedded):
/// the operations and shapes that say what each response holds, under which wire name, with which type. The collector
/// parses every response through it into the normal form of the evidence (<see cref="ParseResponse"/>, documented in
/// docs/snapshot-format.md): SDK member names, typed scalars, lists always arrays, one timestamp form, whatever the
/// protocol (API Gateway sends <c>item</c> where the SDKs say <c>items</c>; GuardDuty's <c>dnsLogs</c> is the SDKs'
/// <c>DNSLogs</c>; EC2 sends <c>verifiedAccessInstanceSet</c> where the SDKs say <c>VerifiedAccessInstances</c>).
/// </summary>
internal sealed partial class ServiceModel
{
    private const string ResourcePrefix = "ServiceModels/";
    private static readonly ConcurrentDictionary<string, ServiceModel?> Cache = new(StringComparer.Ordinal);

    private readonly JsonElement _operations;
    private readonly JsonElement _shapes;
    private readonly ConcurrentDictionary<string, StructureMembers> _structures = new(StringComparer.Ordinal);

    private ServiceModel(string name, JsonDocument document)
    {
        Name = name;
        var metadata = document.RootElement.GetProperty("metadata");
        Protocol = metadata.GetProperty("protocol").GetString() ?? string.Empty;
        // Newer models list every protocol the service answers (CloudWatch: smithy-rpc-v2-cbor, json and query).
        Protocols = metadata.TryGetProperty("protocols", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(p => p.GetString() ?? string.Empty)]
            : [Protocol];
        _operations = document.RootElement.GetProperty("operations");
        _shapes = document.RootElement.GetProperty("shapes");
    }

    /// <summary>The model's name: <c>SERVICE/API-VERSION</c> (botocore's folder names), e.g. <c>apigateway/2015-07-09</c>.</summary>
    public string Name { get; }

    /// <summary>The protocol the model declares first (<c>json</c>, <c>rest-json</c>, <c>query</c>, <c>ec2</c>, <c>rest-xml</c>, ...).</summary>
    public string Protocol { get; }

    /// <summary>Every protocol the service answers in.</summary>
    public IReadOnlyList<string> Protocols { get; }

    /// <summary>The names of the vendored models, sorted.</summary>
    public static IReadOnlyList<string> Available { get; } =
    [
        .. typeof(ServiceModel).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith("/service-2.json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^"/service-2.json".Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The vendored model <paramref name="name"/> (<c>SERVICE/API-VERSION</c>), or null when it is not vendored.</summary>
    public static ServiceModel? Find(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream(ResourcePrefix + n + "/service-2.json");
        return stream is null ? null : new ServiceModel(n, JsonDocument.Parse(stream));
    });

    /// <summary>True when the model defines the operation.</summary>
    public bool HasOperation(string operation) => _operations.TryGetProperty(operation, out _);

    /// <summary>The operation's output shape and, for the query protocol, the element that wraps it; null shape when the operation has no output.</summary>
    internal (string? Shape, string? ResultWrapper) Output(string operation)
    {
        if (!_operations.TryGetProperty(operation, out var op) || !op.TryGetProperty("output", out var output))
        {
            return (null, null);
        }

        return (output.GetProperty("shape").GetString(), output.TryGetProperty("resultWrapper", out var w) ? w.GetString() : null);
    }

    /// <summary>The shape <paramref name="name"/>; false when the model has none of that name.</summary>
    internal bool TryShape(string name, out JsonElement shape) => _shapes.TryGetProperty(name, out shape);

    /// <summary>The shape's type (<c>structure</c>, <c>list</c>, <c>map</c>, <c>string</c>, <c>timestamp</c>, ...).</summary>
    internal static string TypeOf(JsonElement shape) => shape.GetProperty("type").GetString() ?? string.Empty;

    /// <summary>The body members of a structure (members bound to headers, the status code, the URI or the query string are left out).</summary>
    internal StructureMembers Members(string shapeName) => _structures.GetOrAdd(shapeName, static (name, model) =>
    {
        var shape = model._shapes.GetProperty(name);
        var members = new List<ModelMember>();
        string? payload = shape.TryGetProperty("payload", out var p) ? p.GetString() : null;
        if (shape.TryGetProperty("members", out var all))
        {
            foreach (var m in all.EnumerateObject())
            {
                if (m.Value.TryGetProperty("location", out _))
                {
                    continue;
                }

                var target = m.Value.GetProperty("shape").GetString()!;
                var targetShape = model._shapes.GetProperty(target);
                var locationName = m.Value.TryGetProperty("locationName", out var ln) ? ln.GetString() : null;
                var flattened = Flag(m.Value, "flattened") || Flag(targetShape, "flattened");
                var xmlName = locationName ?? m.Name;
                if (flattened && TypeOf(targetShape) == "list" && targetShape.GetProperty("member").TryGetProperty("locationName", out var itemName))
                {
                    // A flattened list repeats its items in place; when the items have a name of their own, that is the element name.
                    xmlName = itemName.GetString()!;
                }

                members.Add(new ModelMember(m.Name, target, locationName ?? m.Name, xmlName, flattened, Flag(m.Value, "xmlAttribute")));
            }
        }

        return new StructureMembers(members, payload);
    }, this);

    internal static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A body member of a structure: its SDK name, shape, JSON wire name and XML element (or attribute) name.</summary>
    internal sealed record ModelMember(string Name, string Shape, string JsonName, string XmlName, bool Flattened, bool XmlAttribute);

    /// <summary>A structure's body members, and the member that is the whole body (REST <c>payload</c>), if any.</summary>
    internal sealed class StructureMembers(List<ModelMember> members, string? payload)
    {
        public IReadOnlyList<ModelMember> All => members;
        public string? Payload => payload;
        public Dictionary<string, ModelMember> ByJsonName { get; } = members.GroupBy(m => m.JsonName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        public Dictionary<string, ModelMember> ByXmlName { get; } = members.Where(m => !m.XmlAttribute).GroupBy(m => m.XmlName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }
}
