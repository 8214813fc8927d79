using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.Aws.Plan;

/// <summary>
/// An AWS service model (botocore's <c>service-2.json</c>, vendored under <c>ServiceModels/</c> and embedded): the
/// operations and shapes that tell which wire name (<c>locationName</c>) each member of a response has and which name
/// the AWS SDKs give it. The collector records evidence with the SDK names, so that rules, plan and evidence speak one
/// language whatever the wire says (API Gateway's <c>GetRestApis</c> sends its list as <c>item</c>, the SDKs call it
/// <c>items</c>; GuardDuty sends camelCase, and its <c>dnsLogs</c> is the SDKs' <c>DNSLogs</c>).
/// </summary>
internal sealed class ServiceModel
{
    private const string ResourcePrefix = "ServiceModels/";
    private static readonly ConcurrentDictionary<string, ServiceModel?> Cache = new(StringComparer.Ordinal);

    private readonly JsonElement _operations;
    private readonly JsonElement _shapes;
    private readonly ConcurrentDictionary<string, StructureNames> _structures = new(StringComparer.Ordinal);

    private ServiceModel(string name, JsonDocument document)
    {
        Name = name;
        var root = document.RootElement;
        Protocol = root.GetProperty("metadata").GetProperty("protocol").GetString() ?? string.Empty;
        _operations = root.GetProperty("operations");
        _shapes = root.GetProperty("shapes");
    }

    /// <summary>The model's name: <c>SERVICE/API-VERSION</c> (botocore's folder names), e.g. <c>apigateway/2015-07-09</c>.</summary>
    public string Name { get; }

    /// <summary>The protocol the model declares (<c>json</c>, <c>rest-json</c>, <c>query</c>, <c>ec2</c>, <c>rest-xml</c>).</summary>
    public string Protocol { get; }

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

    /// <summary>
    /// Renames the members of a parsed JSON response (<c>json</c> or <c>rest-json</c> body) from their wire names to the
    /// SDK member names, following the operation's output shape through structures, lists and maps. Members the model
    /// does not know (a newer API than the vendored model) keep their names; values are not changed.
    /// </summary>
    public JsonNode ToSdkNames(string operation, JsonNode response)
    {
        if (!_operations.TryGetProperty(operation, out var op) || !op.TryGetProperty("output", out var output))
        {
            return response;
        }

        var shape = output.GetProperty("shape").GetString()!;
        // A rest-json output with a payload member: the body is that member's value.
        if (_shapes.GetProperty(shape).TryGetProperty("payload", out var payload) &&
            _shapes.GetProperty(shape).GetProperty("members").TryGetProperty(payload.GetString()!, out var payloadMember))
        {
            shape = payloadMember.GetProperty("shape").GetString()!;
        }

        return Rename(response, shape, depth: 0);
    }

    private JsonNode Rename(JsonNode node, string shapeName, int depth)
    {
        // Models are trees of named shapes that may refer to themselves; a response is finite, but bound the walk anyway.
        if (depth > 64 || !_shapes.TryGetProperty(shapeName, out var shape))
        {
            return node;
        }

        switch (shape.GetProperty("type").GetString())
        {
            case "structure" when node is JsonObject o:
                var names = Structure(shapeName, shape);
                var renamed = new JsonObject();
                foreach (var (key, value) in o.ToList())
                {
                    o.Remove(key);
                    if (names.ByWireName.TryGetValue(key, out var member))
                    {
                        renamed[member.Name] = value is null ? null : Rename(value, member.Shape, depth + 1);
                    }
                    else
                    {
                        renamed[key] = value;
                    }
                }

                return renamed;
            case "list" when node is JsonArray a:
                var itemShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item)
                    {
                        var replaced = Rename(item, itemShape, depth + 1);
                        if (!ReferenceEquals(replaced, item))
                        {
                            a[i] = null;
                            a[i] = replaced;
                        }
                    }
                }

                return a;
            case "map" when node is JsonObject m:
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                foreach (var (key, value) in m.ToList())
                {
                    if (value is not null)
                    {
                        var replaced = Rename(value, valueShape, depth + 1);
                        if (!ReferenceEquals(replaced, value))
                        {
                            m[key] = null;
                            m[key] = replaced;
                        }
                    }
                }

                return m;
            default:
                return node;
        }
    }

    private StructureNames Structure(string shapeName, JsonElement shape) => _structures.GetOrAdd(shapeName, static (_, s) =>
    {
        var byWire = new Dictionary<string, (string Name, string Shape)>(StringComparer.Ordinal);
        foreach (var member in s.GetProperty("members").EnumerateObject())
        {
            // Members bound to the URI, query string, headers or status code are not in the body.
            if (member.Value.TryGetProperty("location", out JsonElement _))
            {
                continue;
            }

            var wire = member.Value.TryGetProperty("locationName", out var ln) ? ln.GetString()! : member.Name;
            byWire[wire] = (member.Name, member.Value.GetProperty("shape").GetString()!);
        }

        return new StructureNames(byWire);
    }, shape);

    private sealed record StructureNames(Dictionary<string, (string Name, string Shape)> ByWireName);
}
