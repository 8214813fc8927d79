using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// CSV in SRA Verify's layout (<c>--format sra-verify-csv</c>), so existing SRA Verify dashboards and
/// spreadsheets read PolicyEngine results unchanged. Exactly SRA Verify's sixteen columns, in its order:
/// <c>AccountId,AccountName,Region,CheckId,Status,Severity,Title,Description,ResourceId,ResourceType,CheckedValue,ActualValue,Remediation,Service,CheckLogic,AccountType</c>.
/// <list type="bullet">
/// <item>Status: Pass → PASS, Fail → FAIL, Error → ERROR. SRA Verify has no status for missing evidence, so
/// InsufficientData is also ERROR and its ActualValue starts with <c>INSUFFICIENT_DATA: </c>. NotApplicable
/// rows, like Pass rows, are written only with <see cref="ReportContext.IncludePassing"/>; NotApplicable is
/// written as N/A.</item>
/// <item>CheckId is the rule's SRA Verify check id when it has one, else the rule id.</item>
/// <item>Fields are quoted per RFC 4180 (when they hold a comma, quote, CR or LF; quotes doubled). Records end
/// with LF rather than RFC 4180's CRLF, like every other report; CSV readers accept both.</item>
/// </list>
/// </summary>
public sealed class SraVerifyCsvReporter : IFindingsReporter
{
    /// <summary>SRA Verify's columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "AccountId", "AccountName", "Region", "CheckId", "Status", "Severity", "Title", "Description",
        "ResourceId", "ResourceType", "CheckedValue", "ActualValue", "Remediation", "Service", "CheckLogic", "AccountType",
    ];

    /// <inheritdoc/>
    public string Format => "sra-verify-csv";

    /// <inheritdoc/>
    public string FileExtension => ".csv";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = ReportWriting.TextWriter(output);
        WriteRecord(writer, Columns);
        foreach (var finding in ReportWriting.Listed(result, context))
        {
            WriteRecord(writer, Row(finding));
        }

        writer.Flush();
    }

    /// <summary>The sixteen fields of one finding.</summary>
    public static IReadOnlyList<string> Row(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var rule = finding.Rule;
        var subject = finding.Subject;
        return
        [
            subject.Account ?? string.Empty,
            subject.AccountName ?? string.Empty,
            subject.Region ?? string.Empty,
            rule.SraVerifyCheck ?? rule.Id,
            Status(finding.Outcome),
            finding.Severity.ToName().ToUpperInvariant(),
            $"{rule.Id} {rule.Title}",
            rule.Description,
            subject.Resource ?? subject.Account ?? string.Empty,
            ResourceType(subject),
            finding.Path?.ToString() ?? string.Empty,
            ActualValue(finding),
            rule.Remediation,
            rule.Category,
            CheckLogic(rule),
            AccountType(rule.AccountScope),
        ];
    }

    /// <summary>SRA Verify's status word for an outcome.</summary>
    public static string Status(Outcome outcome) => outcome switch
    {
        Outcome.Pass => "PASS",
        Outcome.Fail => "FAIL",
        Outcome.NotApplicable => "N/A",
        // SRA Verify has no status for "the evidence needed is missing": ERROR is the nearest, and ActualValue
        // says INSUFFICIENT_DATA so the two can still be told apart.
        _ => "ERROR",
    };

    /// <summary>SRA Verify's account type for a rule's account scope (the first role that maps).</summary>
    public static string AccountType(IReadOnlyList<string> accountScope)
    {
        ArgumentNullException.ThrowIfNull(accountScope);
        foreach (var role in accountScope)
        {
            switch (role)
            {
                case SraRoles.Management:
                    return "management";
                case SraRoles.SecurityTooling:
                    return "audit";
                case SraRoles.LogArchive:
                    return "log-archive";
                default:
                    break;
            }
        }

        return "application";
    }

    /// <summary>
    /// A CloudFormation-style type for the subject. Descriptors and findings do not carry a resource rule's
    /// resource type, so resource subjects are named from their ARN's service (<c>AWS::S3</c>) when they have
    /// one, else <c>AWS::Resource</c>.
    /// </summary>
    public static string ResourceType(FindingSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.Kind switch
        {
            TargetKind.Organization => "AWS::Organizations::Organization",
            TargetKind.Resource => ArnService(subject.Resource) is { } service ? "AWS::" + service : "AWS::Resource",
            _ => "AWS::Account",
        };
    }

    private static string? ArnService(string? resource)
    {
        if (resource is null || !resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = resource.Split(':', 4);
        if (parts.Length < 4 || parts[2].Length == 0)
        {
            return null;
        }

        var service = parts[2];
        return char.ToUpperInvariant(service[0]) + service[1..];
    }

    private static string ActualValue(Finding finding)
    {
        var text = finding.Code is null ? finding.Message : $"{finding.Message} ({finding.Code})";
        if (finding.Outcome == Outcome.InsufficientData)
        {
            text = "INSUFFICIENT_DATA: " + text;
        }

        if (finding.Suppression is { } suppression)
        {
            text += suppression.Owner is { } owner ? $" [suppressed: {suppression.Justification}; owner {owner}]" : $" [suppressed: {suppression.Justification}]";
        }

        return text;
    }

    private static string CheckLogic(RuleDescriptor rule) =>
        rule.SourceFile.Length == 0 ? $"policy-engine rule {rule.Id} ({rule.Target})" : $"policy-engine rule {rule.Id} ({rule.Target}) in {rule.SourceFile}";

    private static void WriteRecord(TextWriter writer, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(Quote(fields[i]));
        }

        writer.Write('\n');
    }

    /// <summary>Quotes a field per RFC 4180 when it holds a comma, double quote, CR or LF.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return field;
        }

        return new StringBuilder(field.Length + 2).Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
