using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// Checks a value against a shape of AWS's Security Hub model (the vendored <c>BatchImportFindings</c> extract in
/// Schemas/securityhub): structures (required members, no unknown or deprecated member), lists (min/max), maps,
/// strings (enum, pattern, length), numbers and booleans. Returns every problem with its JSON path.
/// </summary>
internal sealed class AsffModel
{
    private readonly JsonElement _shapes;

    private AsffModel(JsonDocument model) => _shapes = model.RootElement.GetProperty("shapes");

    public static AsffModel Load() => Instance.Value;

    /// <summary>The vendored schemas and models (Core tests' Reporting/Schemas), found from the repository root so that other test projects can link this file.</summary>
    public static string SchemasDirectory => Path.Combine(PolicyEngine.Tests.Shared.TestRepository.Root, "tests", "PolicyEngine.Core.Tests", "Reporting", "Schemas");

    private static readonly Lazy<AsffModel> Instance = new(() => new AsffModel(JsonDocument.Parse(File.ReadAllBytes(
        Path.Combine(SchemasDirectory, "securityhub", "2018-10-26", "batch-import-findings.json")))));

    /// <summary>The members of a structure shape, e.g. the resource types Security Hub has details for.</summary>
    public IReadOnlyList<string> Members(string shape) =>
        _shapes.GetProperty(shape).GetProperty("members").EnumerateObject().Select(m => m.Name).ToList();

    public List<string> Validate(JsonElement value, string shape)
    {
        var problems = new List<string>();
        Check(value, shape, "$", problems);
        return problems;
    }

    private void Check(JsonElement value, string shapeName, string path, List<string> problems)
    {
        var shape = _shapes.GetProperty(shapeName);
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{path}: {shapeName} must be an object, not {value.ValueKind}");
                    return;
                }

                var members = shape.GetProperty("members");
                if (shape.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _))
                        {
                            problems.Add($"{path}: required member {shapeName}.{name} is missing");
                        }
                    }
                }

                foreach (var property in value.EnumerateObject())
                {
                    if (!members.TryGetProperty(property.Name, out var member))
                    {
                        problems.Add($"{path}.{property.Name}: {shapeName} has no member {property.Name}");
                        continue;
                    }

                    if (member.TryGetProperty("deprecated", out var deprecated) && deprecated.GetBoolean())
                    {
                        problems.Add($"{path}.{property.Name}: {shapeName}.{property.Name} is deprecated");
                    }

                    Check(property.Value, member.GetProperty("shape").GetString()!, $"{path}.{property.Name}", problems);
                }

                break;
            case "list":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{path}: {shapeName} must be an array");
                    return;
                }

                CheckRange(value.GetArrayLength(), shape, path, "items", problems);
                var memberShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, memberShape, $"{path}[{i++}]", problems);
                }

                break;
            case "map":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{path}: {shapeName} must be an object");
                    return;
                }

                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                foreach (var property in value.EnumerateObject())
                {
                    Check(JsonDocument.Parse(JsonSerializer.Serialize(property.Name)).RootElement, shape.GetProperty("key").GetProperty("shape").GetString()!, $"{path} key", problems);
                    Check(property.Value, valueShape, $"{path}['{property.Name}']", problems);
                }

                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{path}: {shapeName} must be a string");
                    return;
                }

                var text = value.GetString()!;
                if (shape.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == text))
                {
                    problems.Add($"{path}: '{text}' is not one of {shapeName}'s values");
                }

                if (shape.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.Singleline, TimeSpan.FromSeconds(10)))
                {
                    problems.Add($"{path}: '{text}' does not match {shapeName}'s pattern {pattern.GetString()}");
                }

                CheckRange(text.Length, shape, path, "characters", problems);
                break;
            case "integer" or "long":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                {
                    problems.Add($"{path}: {shapeName} must be an integer");
                }

                break;
            case "double":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"{path}: {shapeName} must be a number");
                }

                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add($"{path}: {shapeName} must be a boolean");
                }

                break;
            default:
                problems.Add($"{path}: shape {shapeName} has type {type}, which the checker does not know");
                break;
        }
    }

    private static void CheckRange(int count, JsonElement shape, string path, string unit, List<string> problems)
    {
        if (shape.TryGetProperty("min", out var min) && count < min.GetInt32())
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {count} {unit}, fewer than the minimum {min.GetInt32()}"));
        }

        if (shape.TryGetProperty("max", out var max) && count > max.GetInt32())
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {count} {unit}, more than the maximum {max.GetInt32()}"));
        }
    }
}
