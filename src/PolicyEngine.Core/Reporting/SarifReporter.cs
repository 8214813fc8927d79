using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// SARIF 2.1.0 output (OASIS errata 01), written directly with <see cref="Utf8JsonWriter"/>: one run whose
/// <c>tool.driver.rules</c> are the rules that ran, and one result per listed finding.
/// <list type="bullet">
/// <item><c>kind</c>: Fail → fail, Pass → pass, NotApplicable → notApplicable, InsufficientData and Error → open
/// (the tool could not decide). SARIF requires <c>level</c> "none" whenever kind is not fail, so only failures
/// carry error (critical, high), warning (medium) or note (low, informational).</item>
/// <item>Location: the snapshot file with a region when the line is known, and one logical location naming the
/// subject (<c>account/region/resource</c>).</item>
/// <item><c>partialFingerprints</c>: a SHA-256 of rule id, account, region and resource, so code scanning
/// follows a result across runs even when the snapshot's line numbers move.</item>
/// <item>Suppressed findings carry <c>suppressions: [{kind: "external", justification}]</c>.</item>
/// </list>
/// </summary>
public sealed class SarifReporter : IFindingsReporter
{
    /// <summary>The SARIF schema URI written as <c>$schema</c>.</summary>
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    /// <summary>The partial fingerprint key of the subject hash (versioned: change the input, bump the key).</summary>
    public const string FingerprintKey = "policyEngineSubject/v1";

    /// <inheritdoc/>
    public string Format => "sarif";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        ReportWriting.WriteJson(output, writer => WriteLog(writer, result, context));
    }

    /// <summary>
    /// Writes rule-pack problems (compile diagnostics, e.g. for <c>validate --format sarif</c>) as a SARIF log:
    /// one result per diagnostic, ruleId = the diagnostic code, level error or warning, located in the rule file.
    /// The diagnostics are written in <see cref="Diagnostic.Sort"/> order.
    /// </summary>
    public static void WriteDiagnostics(IEnumerable<Diagnostic> diagnostics, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var sorted = Diagnostic.Sort(diagnostics);
        var codes = sorted.Select(d => d.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        ReportWriting.WriteJson(output, writer =>
        {
            WriteRunStart(writer, context);
            writer.WriteStartArray("rules");
            foreach (var code in codes)
            {
                writer.WriteStartObject();
                writer.WriteString("id", code);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("columnKind", "utf16CodeUnits");
            writer.WriteStartArray("results");
            foreach (var diagnostic in sorted)
            {
                writer.WriteStartObject();
                writer.WriteString("ruleId", diagnostic.Code);
                writer.WriteNumber("ruleIndex", codes.IndexOf(diagnostic.Code));
                writer.WriteString("kind", "fail");
                writer.WriteString("level", diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                WriteMessage(writer, diagnostic.Message);
                if (diagnostic.Location.File.Length > 0)
                {
                    writer.WriteStartArray("locations");
                    writer.WriteStartObject();
                    WritePhysicalLocation(writer, diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The SARIF level of a failing finding of a severity.</summary>
    public static string Level(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical or RuleSeverity.High => "error",
        RuleSeverity.Medium => "warning",
        _ => "note",
    };

    /// <summary>The SARIF result kind of an outcome.</summary>
    public static string Kind(Outcome outcome) => outcome switch
    {
        Outcome.Fail => "fail",
        Outcome.Pass => "pass",
        Outcome.NotApplicable => "notApplicable",
        _ => "open",
    };

    /// <summary>GitHub code scanning's numeric <c>security-severity</c>, as the string it expects.</summary>
    public static string SecuritySeverity(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical => "9.5",
        RuleSeverity.High => "8.0",
        RuleSeverity.Medium => "5.5",
        RuleSeverity.Low => "3.0",
        _ => "0.0",
    };

    /// <summary>The stable subject hash: lower-case hex SHA-256 of rule id, account, region and resource.</summary>
    public static string Fingerprint(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var text = string.Join('\n', finding.Rule.Id, finding.Subject.Account ?? string.Empty, finding.Subject.Region ?? string.Empty, finding.Subject.Resource ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>A rule's SARIF <c>name</c>: its title (or id) in PascalCase, letters and digits only.</summary>
    public static string PascalName(RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var source = string.IsNullOrWhiteSpace(rule.Title) ? rule.Id : rule.Title;
        var builder = new StringBuilder(source.Length);
        var upper = true;
        foreach (var c in source)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return builder.Length == 0 || char.IsAsciiDigit(builder[0]) ? "Rule" + builder : builder.ToString();
    }

    /// <summary>
    /// The snapshot path as a SARIF URI reference: forward slashes, each segment percent-encoded; absolute paths
    /// become <c>file:</c> URIs.
    /// </summary>
    public static string ToUri(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slashes = path.Replace('\\', '/');
        var prefix = string.Empty;
        if (slashes.Length >= 2 && char.IsAsciiLetter(slashes[0]) && slashes[1] == ':')
        {
            prefix = "file:///" + slashes[..2];
            slashes = slashes[2..];
        }
        else if (slashes.StartsWith('/'))
        {
            prefix = "file://";
        }

        return prefix + string.Join('/', slashes.Split('/').Select(Uri.EscapeDataString));
    }

    private static void WriteLog(Utf8JsonWriter writer, EvaluationResult result, ReportContext context)
    {
        var rules = ReportWriting.Rules(result);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            index[rules[i].Id] = i;
        }

        WriteRunStart(writer, context);
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(writer, rule);
        }

        writer.WriteEndArray();
        writer.WriteEndObject(); // driver
        writer.WriteEndObject(); // tool
        writer.WriteString("columnKind", "utf16CodeUnits");

        var uri = ToUri(ReportWriting.SnapshotPath(result, context));
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        writer.WriteStartArray("results");
        foreach (var finding in ReportWriting.Listed(result, context))
        {
            var hash = Fingerprint(finding);
            var occurrence = occurrences[hash] = occurrences.GetValueOrDefault(hash) + 1;
            WriteResult(writer, finding, index[finding.Rule.Id], uri, hash, occurrence);
            writer.FlushWhenFull();
        }

        writer.WriteEndArray();
        writer.WriteEndObject(); // run
        writer.WriteEndArray(); // runs
        writer.WriteEndObject();
    }

    /// <summary>Opens the log, the runs array, the run, its tool and its driver, and writes the driver's identity.</summary>
    private static void WriteRunStart(Utf8JsonWriter writer, ReportContext context)
    {
        writer.WriteStartObject();
        writer.WriteString("$schema", SchemaUri);
        writer.WriteString("version", "2.1.0");
        writer.WriteStartArray("runs");
        writer.WriteStartObject();
        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", context.ToolName);
        writer.WriteString("version", context.ToolVersion);
        writer.WriteString("semanticVersion", context.ToolVersion);
        if (context.InformationUri is not null)
        {
            writer.WriteString("informationUri", context.InformationUri.OriginalString);
        }
    }

    private static void WriteRule(Utf8JsonWriter writer, RuleDescriptor rule)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rule.Id);
        writer.WriteString("name", PascalName(rule));
        WriteMessage(writer, "shortDescription", rule.Title);
        if (rule.Description.Length > 0)
        {
            WriteMessage(writer, "fullDescription", rule.Description);
        }

        if (rule.Remediation.Length > 0)
        {
            WriteMessage(writer, "help", rule.Remediation);
        }

        writer.WriteOptional("helpUri", rule.HelpUri);
        writer.WriteStartObject("defaultConfiguration");
        writer.WriteString("level", Level(rule.DefaultSeverity));
        writer.WriteBoolean("enabled", rule.IsEnabledByDefault);
        writer.WriteEndObject();

        writer.WriteStartObject("properties");
        writer.WriteString("category", rule.Category);
        // GitHub shows security-severity only for rules tagged "security"; every rule here is a security check.
        writer.WriteStartArray("tags");
        foreach (var tag in rule.Tags.Contains("security", StringComparer.Ordinal) ? rule.Tags : rule.Tags.Prepend("security"))
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteString("security-severity", SecuritySeverity(rule.DefaultSeverity));
        writer.WriteString("severity", rule.DefaultSeverity.ToName());
        writer.WriteOptional("sraVerifyCheck", rule.SraVerifyCheck);
        writer.WriteOptional("sraExamplesSolution", rule.SraExamplesSolution);
        writer.WriteBoolean("extension", rule.IsExtension);
        writer.WriteOptional("differsFromSraVerify", rule.DiffersFromSraVerify);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, Finding finding, int ruleIndex, string uri, string hash, int occurrence)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", finding.Rule.Id);
        writer.WriteNumber("ruleIndex", ruleIndex);
        writer.WriteString("kind", Kind(finding.Outcome));
        writer.WriteString("level", finding.Outcome == Outcome.Fail ? Level(finding.Severity) : "none");
        WriteMessage(writer, finding.Message);

        writer.WriteStartArray("locations");
        writer.WriteStartObject();
        WritePhysicalLocation(writer, uri, finding.Line, finding.Column, alreadyUri: true);
        var subject = finding.Subject;
        var parts = ConsoleReporter.SubjectParts(subject).ToArray();
        if (parts.Length > 0)
        {
            // One logical location: SARIF requires every logical location of a location to name the same thing.
            writer.WriteStartArray("logicalLocations");
            writer.WriteStartObject();
            // An evidence key already names its account and region (service:Operation/account/region).
            writer.WriteString("name", parts[^1]);
            writer.WriteString("fullyQualifiedName", subject.Kind == TargetKind.Evidence && subject.Resource is { } key ? key : string.Join('/', parts));
            writer.WriteString("kind", subject.Kind is TargetKind.Resource or TargetKind.Evidence ? "resource" : "namespace");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("partialFingerprints");
        writer.WriteString(FingerprintKey, hash);
        // GitHub code scanning matches results on this key; left out, its upload step would hash the snapshot's
        // lines, which move between collections.
        writer.WriteString("primaryLocationLineHash", string.Create(CultureInfo.InvariantCulture, $"{hash[..16]}:{occurrence}"));
        writer.WriteEndObject();

        if (finding.Suppression is { } suppression)
        {
            writer.WriteStartArray("suppressions");
            writer.WriteStartObject();
            writer.WriteString("kind", "external");
            writer.WriteString("justification", suppression.Justification);
            writer.WriteStartObject("properties");
            writer.WriteString("source", suppression.Source);
            if (suppression.Owner is { } owner)
            {
                writer.WriteString("owner", owner);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteStartObject("properties");
        writer.WriteString("outcome", finding.Outcome.ToName());
        writer.WriteString("severity", finding.Severity.ToName());
        writer.WriteString("category", finding.Rule.Category);
        writer.WriteString("subjectKind", subject.Kind.ToName());
        writer.WriteOptional("account", subject.Account);
        writer.WriteOptional("accountName", subject.AccountName);
        writer.WriteOptional("region", subject.Region);
        writer.WriteOptional("resource", subject.Resource);
        writer.WriteOptional("path", finding.Path?.ToString());
        writer.WriteOptional("code", finding.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WritePhysicalLocation(Utf8JsonWriter writer, string file, int line, int column, bool alreadyUri = false)
    {
        writer.WriteStartObject("physicalLocation");
        writer.WriteStartObject("artifactLocation");
        writer.WriteString("uri", alreadyUri ? file : ToUri(file));
        writer.WriteEndObject();
        if (line > 0)
        {
            writer.WriteStartObject("region");
            writer.WriteNumber("startLine", line);
            writer.WriteNumber("startColumn", Math.Max(column, 1));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, string text) => WriteMessage(writer, "message", text);

    private static void WriteMessage(Utf8JsonWriter writer, string name, string text)
    {
        writer.WriteStartObject(name);
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
