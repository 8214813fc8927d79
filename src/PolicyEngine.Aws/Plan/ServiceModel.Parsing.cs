using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace PolicyEngine.Aws.Plan;

/// <summary>The parsing of responses into the normal form of the evidence (docs/snapshot-format.md, "The normal form").</summary>
internal sealed partial class ServiceModel
{
    // Responses are finite, but shapes may refer to themselves: bound the walk anyway.
    private const int MaxDepth = 64;

    /// <summary>The one timestamp form of the evidence: ISO 8601 UTC, seconds, and a fraction only when it is not zero (trailing zeros dropped).</summary>
    public const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'";

    /// <summary>
    /// Parses a successful response body of <paramref name="operation"/> in <paramref name="protocol"/> into the normal
    /// form: the operation's output structure with the SDK member names, numbers and booleans typed, lists as arrays
    /// whatever their count, maps as objects, timestamps in <see cref="TimestampFormat"/>, blobs as base64 text. A REST
    /// payload appears under its member's name. Members the model does not know (a newer API) keep their wire name and value.
    /// </summary>
    /// <exception cref="JsonException">A JSON body is malformed.</exception>
    /// <exception cref="XmlException">An XML body is malformed.</exception>
    public JsonObject ParseResponse(string operation, string protocol, byte[] body)
    {
        var (output, wrapper) = Output(operation);
        if (protocol is "json" or "rest-json")
        {
            var json = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) ?? new JsonObject();
            if (output is null)
            {
                return json as JsonObject ?? [];
            }

            if (Members(output).Payload is { } payload && Members(output).All.FirstOrDefault(m => m.Name == payload) is { } pm)
            {
                return new JsonObject { [pm.Name] = FromJson(json, pm.Shape, 0) };
            }

            return FromJson(json, output, 0) as JsonObject ?? [];
        }

        if (body.Length == 0 || output is null)
        {
            return [];
        }

        var root = LoadXml(body);
        switch (protocol)
        {
            case "query":
                // <OperationResponse><OperationResult>...</OperationResult><ResponseMetadata/></OperationResponse>
                var result = root.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == (wrapper ?? operation + "Result"));
                return result is null ? [] : XmlStructure(result, output, 0);
            case "ec2":
                // <OperationResponse><requestId/>members...</OperationResponse>
                var ec2 = XmlStructure(root, output, 0);
                ec2.Remove("requestId");
                return ec2;
            default:
                // rest-xml: the root element is the payload member's value, or the output structure itself.
                if (Members(output).Payload is { } payload && Members(output).All.FirstOrDefault(m => m.Name == payload) is { } pm)
                {
                    return new JsonObject { [pm.Name] = FromXml(root, pm.Shape, 0) };
                }

                return XmlStructure(root, output, 0);
        }
    }

    /// <summary>
    /// A response parsed without a model (a custom plan's service that names none): JSON as sent; XML with wire names
    /// and every value as text (query: the result element's children; ec2: the response's; rest-xml: the root element under its name).
    /// </summary>
    public static JsonObject ParseUntyped(string operation, string protocol, byte[] body)
    {
        if (protocol is "json" or "rest-json")
        {
            return (body.Length == 0 ? null : JsonNode.Parse(body)) as JsonObject ?? [];
        }

        if (body.Length == 0)
        {
            return [];
        }

        var root = LoadXml(body);
        switch (protocol)
        {
            case "query":
                var result = Children(root).FirstOrDefault(e => e.LocalName == operation + "Result");
                return result is null ? [] : Untyped(result) as JsonObject ?? [];
            case "ec2":
                var ec2 = Untyped(root) as JsonObject ?? [];
                ec2.Remove("requestId");
                return ec2;
            default:
                return new JsonObject { [root.LocalName] = Untyped(root) };
        }
    }

    private static XmlElement LoadXml(byte[] body)
    {
        var doc = new XmlDocument { XmlResolver = null };
        using (var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
        {
            doc.Load(reader);
        }

        return doc.DocumentElement ?? throw new XmlException("empty XML document");
    }

    /// <summary>A timestamp in the one form of the evidence (<see cref="TimestampFormat"/>).</summary>
    public static string FormatTimestamp(DateTimeOffset at) => at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a timestamp as AWS sends it: epoch seconds (a JSON number, or its text), ISO 8601 or an HTTP date; null
    /// when the value is none of these.
    /// </summary>
    public static DateTimeOffset? ReadTimestamp(JsonNode? value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        if (v.GetValueKind() == JsonValueKind.Number)
        {
            // decimal, not double: 1700000000.123 is exactly .123 seconds.
            var seconds = v.TryGetValue<decimal>(out var d) ? d : v.TryGetValue<double>(out var f) && double.IsFinite(f) ? (decimal)f : (decimal?)null;
            return seconds is { } s ? FromEpoch(s) : null;
        }

        return v.TryGetValue<string>(out var text) ? ReadTimestamp(text) : null;
    }

    private static DateTimeOffset? ReadTimestamp(string text)
    {
        text = text.Trim();
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromEpoch(seconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    private static DateTimeOffset? FromEpoch(decimal seconds)
    {
        // Year 1 to 9999 only (DateTimeOffset's range).
        if (seconds is < -62_135_596_800m or > 253_402_300_799m)
        {
            return null;
        }

        return DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>A JSON value (json or rest-json body, or evidence already in JSON) in the normal form of <paramref name="shapeName"/>.</summary>
    internal JsonNode? FromJson(JsonNode? node, string shapeName, int depth)
    {
        if (node is null || depth > MaxDepth || !TryShape(shapeName, out var shape))
        {
            return node;
        }

        switch (TypeOf(shape))
        {
            case "structure" when node is JsonObject o && !Flag(shape, "document"):
                var members = Members(shapeName);
                var fields = o.ToList();
                o.Clear();
                var result = new JsonObject();
                foreach (var (key, value) in fields)
                {
                    if (members.ByJsonName.TryGetValue(key, out var member))
                    {
                        result[member.Name] = FromJson(value, member.Shape, depth + 1);
                    }
                    else
                    {
                        result[key] = value;
                    }
                }

                return result;
            case "list" when node is JsonArray a:
                var itemShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                var items = a.ToList();
                a.Clear();
                return new JsonArray([.. items.Select(i => FromJson(i, itemShape, depth + 1))]);
            case "map" when node is JsonObject m:
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                var entries = m.ToList();
                m.Clear();
                var map = new JsonObject();
                foreach (var (key, value) in entries)
                {
                    map[key] = FromJson(value, valueShape, depth + 1);
                }

                return map;
            case "timestamp":
                return ReadTimestamp(node) is { } at ? JsonValue.Create(FormatTimestamp(at)) : node;
            default:
                return node;
        }
    }

    /// <summary>An XML element in the normal form of <paramref name="shapeName"/>.</summary>
    private JsonNode? FromXml(XmlElement element, string shapeName, int depth)
    {
        if (depth > MaxDepth || !TryShape(shapeName, out var shape))
        {
            return Untyped(element);
        }

        switch (TypeOf(shape))
        {
            case "structure":
                return XmlStructure(element, shapeName, depth);
            case "list":
            {
                // <Items><member>..</member><member>..</member></Items>; the item element is named by the list's member.
                var member = shape.GetProperty("member");
                var itemName = member.TryGetProperty("locationName", out var n) ? n.GetString()! : "member";
                var itemShape = member.GetProperty("shape").GetString()!;
                return new JsonArray([.. Children(element).Where(c => c.LocalName == itemName).Select(c => FromXml(c, itemShape, depth + 1))]);
            }

            case "map":
                return XmlMap(Children(element).Where(c => c.LocalName == "entry"), shape, depth);
            default:
                return Scalar(element.InnerText, TypeOf(shape));
        }
    }

    private JsonObject XmlStructure(XmlElement element, string shapeName, int depth)
    {
        var members = Members(shapeName);
        var result = new JsonObject();
        foreach (var member in members.All.Where(m => m.XmlAttribute))
        {
            var attribute = element.Attributes.OfType<XmlAttribute>().FirstOrDefault(a => a.Name == member.XmlName || a.LocalName == member.XmlName[(member.XmlName.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            if (attribute is not null && TryShape(member.Shape, out var s))
            {
                result[member.Name] = Scalar(attribute.Value, TypeOf(s));
            }
        }

        foreach (var group in Children(element).GroupBy(e => e.LocalName))
        {
            if (!members.ByXmlName.TryGetValue(group.Key, out var member) || !TryShape(member.Shape, out var shape))
            {
                // Not in the model (a newer API): kept under its wire name, its text as text.
                var values = group.Select(Untyped).ToList();
                result[group.Key] = values.Count == 1 ? values[0] : new JsonArray([.. values]);
                continue;
            }

            if (member.Flattened && TypeOf(shape) == "list")
            {
                // <Rule>..</Rule><Rule>..</Rule> in place, no wrapper element.
                var itemShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                result[member.Name] = new JsonArray([.. group.Select(e => FromXml(e, itemShape, depth + 1))]);
            }
            else if (member.Flattened && TypeOf(shape) == "map")
            {
                result[member.Name] = XmlMap(group, shape, depth);
            }
            else
            {
                result[member.Name] = FromXml(group.First(), member.Shape, depth + 1);
            }
        }

        return result;
    }

    private JsonObject XmlMap(IEnumerable<XmlElement> entries, JsonElement shape, int depth)
    {
        var key = shape.GetProperty("key");
        var value = shape.GetProperty("value");
        var keyName = key.TryGetProperty("locationName", out var k) ? k.GetString()! : "key";
        var valueName = value.TryGetProperty("locationName", out var v) ? v.GetString()! : "value";
        var valueShape = value.GetProperty("shape").GetString()!;
        var map = new JsonObject();
        foreach (var entry in entries)
        {
            var keyElement = Children(entry).FirstOrDefault(c => c.LocalName == keyName);
            var valueElement = Children(entry).FirstOrDefault(c => c.LocalName == valueName);
            if (keyElement is not null)
            {
                map[keyElement.InnerText] = valueElement is null ? null : FromXml(valueElement, valueShape, depth + 1);
            }
        }

        return map;
    }

    /// <summary>XML text as the scalar type says; text that does not read as that type is kept as text.</summary>
    private static JsonValue Scalar(string text, string type)
    {
        switch (type)
        {
            case "boolean":
                return text switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => JsonValue.Create(text) };
            case "integer" or "long" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                return JsonValue.Create(l);
            case "double" or "float" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                return JsonValue.Create(d);
            case "timestamp" when ReadTimestamp(text) is { } at:
                return JsonValue.Create(FormatTimestamp(at));
            default:
                return JsonValue.Create(text);
        }
    }

    /// <summary>An element the model does not describe: its text, or an object of its children (a repeated child becomes an array).</summary>
    private static JsonNode? Untyped(XmlElement element)
    {
        var children = Children(element).ToList();
        if (children.Count == 0)
        {
            return JsonValue.Create(element.InnerText);
        }

        var o = new JsonObject();
        foreach (var group in children.GroupBy(c => c.LocalName))
        {
            var values = group.Select(Untyped).ToList();
            o[group.Key] = values.Count == 1 ? values[0] : new JsonArray([.. values]);
        }

        return o;
    }

    private static IEnumerable<XmlElement> Children(XmlElement element) => element.ChildNodes.OfType<XmlElement>();
}
