using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// Validates OCSF events against the vendored definition files of one release (Schemas/ocsf/VERSION): the class
/// chain of the event's <c>class_uid</c> (<c>compliance_finding</c> → <c>finding</c> → <c>base_event</c>, with their
/// <c>$include</c>s), the objects its attributes name, and the dictionary. See Schemas/ocsf/README.md for what is
/// checked. Returns every problem with its path.
/// </summary>
internal sealed class OcsfSchema
{
    private static readonly Dictionary<int, string> ClassFiles = new() { [2003] = "events/findings/compliance_finding.json" };

    // The schema server fills these enums from the categories and classes; the dictionary holds only 0 and 99.
    // Validate checks them against categories.json and the class instead.
    private static readonly HashSet<string> CompiledEnums = new(StringComparer.Ordinal) { "$.category_uid", "$.class_uid", "$.type_uid" };

    private readonly string _version;
    private readonly string _root;
    private readonly JsonObject _dictionary;
    private readonly JsonObject _types;
    private readonly Dictionary<string, Definition> _objects = new(StringComparer.Ordinal);

    private sealed record Definition(string Name, JsonObject Attributes, JsonObject? Constraints);

    private OcsfSchema(string version)
    {
        _version = version;
        _root = Root(version);
        var dictionary = Read(Path.Combine(_root, "dictionary.json"));
        _dictionary = dictionary["attributes"]!.AsObject();
        _types = dictionary["types"]!["attributes"]!.AsObject();
    }

    public static string Root(string version) => Path.Combine(AsffModel.SchemasDirectory, "ocsf", version);

    public static OcsfSchema Load(string version) => new(version);

    public List<string> Validate(JsonElement eventJson)
    {
        var problems = new List<string>();
        var node = JsonNode.Parse(eventJson.GetRawText())!.AsObject();
        if (node["class_uid"]?.GetValue<int>() is not { } classUid || !ClassFiles.TryGetValue(classUid, out var file))
        {
            problems.Add("$.class_uid: missing or not a class these definitions cover");
            return problems;
        }

        var definition = Class(file);
        var profiles = node["metadata"]?["profiles"]?.AsArray().Select(p => p!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        CheckObject(node, definition, "$", profiles, problems);

        var category = Read(Path.Combine(_root, "categories.json"))["attributes"]!["findings"]!["uid"]!.GetValue<int>();
        if (node["category_uid"]?.GetValue<int>() != category || classUid / 1000 != category)
        {
            problems.Add($"$.category_uid: the class belongs to category {category}");
        }

        if (node["type_uid"]?.GetValue<long>() != (classUid * 100L) + (node["activity_id"]?.GetValue<int>() ?? -1))
        {
            problems.Add("$.type_uid: must be class_uid * 100 + activity_id");
        }

        if (node["metadata"]?["version"]?.GetValue<string>() != _version)
        {
            problems.Add($"$.metadata.version: must be {_version}");
        }

        return problems;
    }

    private void CheckObject(JsonObject value, Definition definition, string path, HashSet<string> profiles, List<string> problems)
    {
        foreach (var (name, attribute) in definition.Attributes)
        {
            var spec = attribute!.AsObject();
            var requirement = spec["requirement"]?.GetValue<string>();
            var profile = spec["profile"]?.GetValue<string>();
            if (requirement == "required" && (profile is null || profiles.Contains(profile)) && value[name] is null)
            {
                problems.Add($"{path}: required attribute {definition.Name}.{name} is missing");
            }
        }

        foreach (var (name, child) in value)
        {
            var childPath = $"{path}.{name}";
            if (definition.Attributes[name] is not JsonObject spec)
            {
                problems.Add($"{childPath}: {definition.Name} has no attribute {name}");
                continue;
            }

            if (spec["@deprecated"] is not null)
            {
                problems.Add($"{childPath}: {definition.Name}.{name} is deprecated in {_version}");
            }

            if (child is null)
            {
                problems.Add($"{childPath}: null (leave the attribute out instead)");
                continue;
            }

            var dictionary = _dictionary[name]?.AsObject();
            var type = spec["type"]?.GetValue<string>() ?? dictionary?["type"]?.GetValue<string>();
            if (type is null)
            {
                problems.Add($"{childPath}: {name} is not in the dictionary");
                continue;
            }

            var isArray = spec["is_array"]?.GetValue<bool>() ?? dictionary?["is_array"]?.GetValue<bool>() ?? false;
            var enumeration = spec["enum"]?.AsObject() ?? dictionary?["enum"]?.AsObject();
            if (isArray)
            {
                if (child is not JsonArray array)
                {
                    problems.Add($"{childPath}: {name} is an array of {type}");
                    continue;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    CheckValue(array[i], type, enumeration, $"{childPath}[{i}]", profiles, problems);
                }
            }
            else
            {
                CheckValue(child, type, enumeration, childPath, profiles, problems);
            }

            // An enum's sibling (severity for severity_id) is the caption of its value, unless the value is Other.
            if (enumeration is not null && dictionary?["sibling"]?.GetValue<string>() is { } sibling && value[sibling] is JsonValue caption
                && child is JsonValue id && id.ToJsonString() != "99" && enumeration[id.ToJsonString()]?["caption"]?.GetValue<string>() is { } expected
                && caption.GetValue<string>() != expected)
            {
                problems.Add($"{path}.{sibling}: '{caption}' is not the caption of {name} {id.ToJsonString()} ('{expected}')");
            }
        }

        if (definition.Constraints is { } constraints)
        {
            if (constraints["at_least_one"] is JsonArray atLeastOne && !atLeastOne.Any(a => value[a!.GetValue<string>()] is not null))
            {
                problems.Add($"{path}: {definition.Name} needs at least one of {string.Join(", ", atLeastOne)}");
            }

            if (constraints["just_one"] is JsonArray justOne && justOne.Count(a => value[a!.GetValue<string>()] is not null) != 1)
            {
                problems.Add($"{path}: {definition.Name} needs exactly one of {string.Join(", ", justOne)}");
            }
        }
    }

    private void CheckValue(JsonNode? node, string type, JsonObject? enumeration, string path, HashSet<string> profiles, List<string> problems)
    {
        if (type == "object" || type == "json_t")
        {
            if (type == "object" && node is not JsonObject)
            {
                problems.Add($"{path}: must be an object");
            }

            return;
        }

        if (!type.EndsWith("_t", StringComparison.Ordinal))
        {
            if (node is not JsonObject child)
            {
                problems.Add($"{path}: must be a {type} object");
                return;
            }

            CheckObject(child, Object(type), path, profiles, problems);
            return;
        }

        var primitive = BaseType(type);
        var element = JsonSerializer.SerializeToElement(node);
        var ok = primitive switch
        {
            "string_t" => element.ValueKind == JsonValueKind.String,
            "integer_t" => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _),
            "long_t" => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _),
            "float_t" => element.ValueKind == JsonValueKind.Number,
            "boolean_t" => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => false,
        };
        if (!ok)
        {
            problems.Add($"{path}: {element.GetRawText()} is not a {type}");
            return;
        }

        if (enumeration is not null && enumeration[element.GetRawText()] is null && !CompiledEnums.Contains(path))
        {
            problems.Add($"{path}: {element.GetRawText()} is not one of the enum's values {string.Join(", ", enumeration.Select(e => e.Key))}");
        }
    }

    /// <summary>A dictionary type down to its primitive (url_t → string_t, timestamp_t → long_t).</summary>
    private string BaseType(string type)
    {
        var current = type;
        for (var depth = 0; depth < 8 && _types[current]?["type"]?.GetValue<string>() is { } parent; depth++)
        {
            current = parent;
        }

        return current;
    }

    private Definition Class(string file)
    {
        var chain = new List<JsonObject>();
        var json = Read(Path.Combine(_root, file));
        while (true)
        {
            chain.Insert(0, json);
            if (json["extends"]?.GetValue<string>() is not { } parent)
            {
                break;
            }

            json = Read(Path.Combine(_root, "events", parent == "base_event" ? "base_event.json" : Path.Combine("findings", parent + ".json")));
        }

        var attributes = new JsonObject();
        foreach (var level in chain)
        {
            Merge(attributes, Attributes(level));
        }

        return new Definition(chain[^1]["name"]!.GetValue<string>(), attributes, null);
    }

    private Definition Object(string name)
    {
        if (_objects.TryGetValue(name, out var known))
        {
            return known;
        }

        var file = Path.Combine(_root, "objects", name + ".json");
        Assert.True(File.Exists(file), $"the vendored OCSF {_version} subset has no object '{name}': copy objects/{name}.json from the release (Schemas/ocsf/README.md)");
        var json = Read(file);
        var attributes = new JsonObject();
        JsonObject? constraints = null;
        if (json["extends"]?.GetValue<string>() is { } parent)
        {
            var inherited = Object(parent);
            Merge(attributes, inherited.Attributes);
            constraints = inherited.Constraints;
        }

        Merge(attributes, Attributes(json));
        constraints = json["constraints"]?.DeepClone().AsObject() ?? constraints;
        return _objects[name] = new Definition(name, attributes, constraints);
    }

    /// <summary>A definition's own attributes plus those of its <c>$include</c>d files (profiles, includes).</summary>
    private JsonObject Attributes(JsonObject definition)
    {
        var result = new JsonObject();
        var own = definition["attributes"]?.AsObject() ?? [];
        foreach (var include in own["$include"]?.AsArray().Select(i => i!.GetValue<string>()) ?? [])
        {
            var path = Path.Combine(_root, include);
            if (File.Exists(path))
            {
                var included = Read(path);
                var profile = included["meta"]?.GetValue<string>() == "profile" ? included["name"]!.GetValue<string>() : null;
                foreach (var (name, spec) in included["attributes"]?.AsObject() ?? [])
                {
                    var copy = spec!.DeepClone().AsObject();
                    if (profile is not null)
                    {
                        copy["profile"] = profile;
                    }

                    Merge(result, new JsonObject { [name] = copy });
                }
            }
            else if (include.StartsWith("includes/", StringComparison.Ordinal) && _version == "1.1.0")
            {
                // Not in the reference subset: 1.8.0's base_event defines the same attributes inline (README.md).
                var inline = Read(Path.Combine(Root("1.8.0"), "events", "base_event.json"))["attributes"]!.AsObject();
                foreach (var name in include.EndsWith("classification.json", StringComparison.Ordinal)
                    ? ["activity_id", "activity_name", "category_name", "category_uid", "class_name", "class_uid", "type_name", "type_uid"]
                    : new[] { "count", "duration", "end_time", "start_time", "time", "timezone_offset" })
                {
                    Merge(result, new JsonObject { [name] = inline[name]!.DeepClone() });
                }
            }
            else
            {
                Assert.Fail($"the vendored OCSF {_version} subset lacks {include}");
            }
        }

        foreach (var (name, spec) in own)
        {
            if (name != "$include")
            {
                Merge(result, new JsonObject { [name] = spec!.DeepClone() });
            }
        }

        return result;
    }

    /// <summary>Later definitions refine earlier ones key by key (requirement, enum, description...).</summary>
    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (name, spec) in source)
        {
            if (target[name] is JsonObject existing && spec is JsonObject refinement)
            {
                foreach (var (key, value) in refinement)
                {
                    existing[key] = value?.DeepClone();
                }
            }
            else
            {
                target[name] = spec?.DeepClone();
            }
        }
    }

    private static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
