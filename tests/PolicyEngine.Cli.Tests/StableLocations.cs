using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// Rewrites the locations in a report on a sample snapshot so that they do not move when unrelated evidence or rules
/// are added, and checks each one while doing so. Without this, one new rule with its sample evidence shifts the
/// evidence index and the line of almost every finding, and the CLI goldens change by over a thousand lines.
/// <list type="bullet">
/// <item>An evidence or resource index becomes the record's key: <c>$['evidence'][18]</c> is written
/// <c>$['evidence'][accessanalyzer:ListAnalyzers@444444444444/eu-west-1]</c>, with the record's identifying
/// parameters in braces when it has any (<c>{AlternateContactType=SECURITY}</c>), and <c>$['resources'][0]</c> is
/// written <c>$['resources'][AWS::S3::Bucket/NAME@ACCOUNT/REGION]</c>.</item>
/// <item>A line inside such a record becomes its offset from the record's first line, <c>record+2</c>; the offset
/// must fall inside the record, so a wrong line still fails the golden.</item>
/// <item>A SARIF <c>ruleIndex</c> becomes <c>rules[ID]</c> after checking that the index names the result's rule.</item>
/// </list>
/// Lines outside evidence and resources (organization, roles) stay absolute: they move only when the sample's base
/// changes. The record boundaries are found by reading the sample's text, independently of the engine's locator.
/// </summary>
internal sealed partial class StableLocations
{
    // The reporters' layout: two-space indentation, LF, relaxed escaping.
    private static readonly JsonSerializerOptions SarifLayout = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Dictionary<string, List<Record>> _records;

    private sealed record Record(string Label, int FirstLine, int LastLine);

    private StableLocations(Dictionary<string, List<Record>> records) => _records = records;

    /// <summary>Reads a snapshot written with two-space indentation (as the samples are).</summary>
    public static StableLocations ForSnapshot(string path)
    {
        var text = File.ReadAllText(path);
        using var document = JsonDocument.Parse(text);
        var lines = text.Split('\n');
        var records = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
        foreach (var section in new[] { "evidence", "resources" })
        {
            if (!document.RootElement.TryGetProperty(section, out var items))
            {
                continue;
            }

            Func<JsonElement, string> label = section == "evidence" ? EvidenceLabel : ResourceLabel;
            var labels = items.EnumerateArray().Select(label).ToList();
            records[section] = Boundaries(lines, section, labels, path);
        }

        return new StableLocations(records);
    }

    /// <summary>Rewrites a report in one of the CLI's formats (console, json, sarif, sra-verify-csv, markdown, junit, html, ocsf, asff), or an explanation (explain).</summary>
    public string Rewrite(string report, string format) => format switch
    {
        "console" => Paths(Console(report)),
        "json" => Paths(JsonLocation().Replace(report, m =>
            m.Groups["head"].Value + "\"" + Relative(m.Groups["section"].Value, m.Groups["index"].Value, m.Groups["line"].Value) + "\",")),
        "sarif" => Paths(Sarif(report)),
        "markdown" => Paths(MarkdownLocation().Replace(report, m =>
            $"`{m.Groups["file"].Value}:{ByLine(m.Groups["line"].Value)}:{m.Groups["column"].Value}`")),
        // A junit failure's text carries the console's location line.
        "junit" => Paths(Console(JUnitLocation().Replace(report, m => $"{m.Groups["head"].Value}line=\"{ByLine(m.Groups["line"].Value)}\""))),
        _ => Paths(report),
    };

    private string Console(string text) => ConsoleLocation().Replace(text, m =>
        $":{Relative(m.Groups["section"].Value, m.Groups["index"].Value, m.Groups["line"].Value)}:{m.Groups["column"].Value} ({m.Groups["path"].Value}");

    /// <summary>
    /// A line of a format that gives no JSONPath with it (markdown, junit): inside an evidence or resource record it
    /// becomes <c>[LABEL]+OFFSET</c>, from the record's first line; elsewhere (organization, roles) it stays absolute.
    /// </summary>
    private string ByLine(string line)
    {
        var number = int.Parse(line, CultureInfo.InvariantCulture);
        foreach (var record in _records.Values.SelectMany(r => r))
        {
            if (number >= record.FirstLine && number <= record.LastLine)
            {
                return string.Create(CultureInfo.InvariantCulture, $"[{record.Label}]+{number - record.FirstLine}");
            }
        }

        return line;
    }

    private string Paths(string text) => RecordPath().Replace(text, m =>
        $"$['{m.Groups["section"].Value}'][{Find(m.Groups["section"].Value, m.Groups["index"].Value).Label}]");

    private string Relative(string section, string index, string line)
    {
        var record = Find(section, index);
        var number = int.Parse(line, CultureInfo.InvariantCulture);
        Assert.True(number >= record.FirstLine && number <= record.LastLine,
            $"line {number} is outside $['{section}'][{index}] (lines {record.FirstLine}-{record.LastLine})");
        return string.Create(CultureInfo.InvariantCulture, $"record+{number - record.FirstLine}");
    }

    private Record Find(string section, string index)
    {
        Assert.True(_records.TryGetValue(section, out var list), $"the snapshot has no {section}");
        var i = int.Parse(index, CultureInfo.InvariantCulture);
        Assert.True(i < list.Count, $"$['{section}'][{i}] is past the end of the snapshot's {section}");
        return list[i];
    }

    private string Sarif(string report)
    {
        var root = JsonNode.Parse(report)!;
        foreach (var run in root["runs"]!.AsArray())
        {
            var rules = run!["tool"]!["driver"]!["rules"]!.AsArray();
            foreach (var result in run["results"]!.AsArray())
            {
                var ruleId = result!["ruleId"]!.GetValue<string>();
                if (result["ruleIndex"] is { } ruleIndex)
                {
                    Assert.Equal(ruleId, rules[ruleIndex.GetValue<int>()]!["id"]!.GetValue<string>());
                    result["ruleIndex"] = $"rules[{ruleId}]";
                }

                var path = result["properties"]?["path"]?.GetValue<string>();
                var record = path is null ? null : RecordPath().Match(path);
                if (record is not { Success: true, Index: 0 })
                {
                    continue;
                }

                foreach (var location in result["locations"]?.AsArray() ?? [])
                {
                    if (location!["physicalLocation"]?["region"] is JsonObject region && region["startLine"] is { } startLine)
                    {
                        region["startLine"] = Relative(record.Groups["section"].Value, record.Groups["index"].Value,
                            startLine.GetValue<int>().ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return root.ToJsonString(SarifLayout) + (report.EndsWith('\n') ? "\n" : string.Empty);
    }

    /// <summary>First and last line (1-based) of each element of a top-level array, found from the indentation.</summary>
    private static List<Record> Boundaries(string[] lines, string section, List<string> labels, string path)
    {
        var open = Array.IndexOf(lines, $"  \"{section}\": [");
        var result = new List<Record>();
        if (open < 0)
        {
            Assert.True(labels.Count == 0, $"{path}: cannot find the {section} array in the expected layout");
            return result;
        }

        var starts = new List<int>();
        var end = open + 1;
        for (; end < lines.Length && !lines[end].StartsWith("  ]", StringComparison.Ordinal); end++)
        {
            if (lines[end] == "    {")
            {
                starts.Add(end + 1);
            }
        }

        Assert.True(starts.Count == labels.Count, $"{path}: found {starts.Count} {section} records by indentation, the JSON has {labels.Count}");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < starts.Count; i++)
        {
            var occurrence = seen[labels[i]] = seen.GetValueOrDefault(labels[i]) + 1;
            var label = occurrence == 1 ? labels[i] : $"{labels[i]}#{occurrence}";
            result.Add(new Record(label, starts[i], i + 1 < starts.Count ? starts[i + 1] - 1 : end));
        }

        return result;
    }

    private static string EvidenceLabel(JsonElement record)
    {
        var label = $"{Text(record, "service")}:{Text(record, "operation")}@{Text(record, "account")}/{Text(record, "region")}";
        if (record.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object && parameters.EnumerateObject().Any())
        {
            label += "{" + string.Join(';', parameters.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + Value(p.Value))) + "}";
        }

        return label;
    }

    private static string ResourceLabel(JsonElement record) =>
        $"{Text(record, "resourceType")}/{Text(record, "resourceId")}@{Text(record, "awsAccountId")}/{Text(record, "awsRegion")}";

    private static string Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    // Labels stay free of quotes and commas so that they read the same in JSON strings and CSV cells.
    private static string Value(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : value.GetRawText().Replace("\"", string.Empty, StringComparison.Ordinal).Replace(",", " ", StringComparison.Ordinal);

    [GeneratedRegex(@"\$\['(?<section>evidence|resources)'\]\[(?<index>\d+)\]")]
    private static partial Regex RecordPath();

    [GeneratedRegex(@":(?<line>\d+):(?<column>\d+) \((?<path>\$\['(?<section>evidence|resources)'\]\[(?<index>\d+)\])")]
    private static partial Regex ConsoleLocation();

    [GeneratedRegex(@"`(?<file>[^`\s:]+):(?<line>\d+):(?<column>\d+)`")]
    private static partial Regex MarkdownLocation();

    [GeneratedRegex(@"(?<head><testcase [^>]*\bfile=""[^""]*"" )line=""(?<line>\d+)""")]
    private static partial Regex JUnitLocation();

    [GeneratedRegex(@"(?<head>""path"": ""\$\['(?<section>evidence|resources)'\]\[(?<index>\d+)\][^""]*"",\s*""line"": )(?<line>\d+),")]
    private static partial Regex JsonLocation();
}
