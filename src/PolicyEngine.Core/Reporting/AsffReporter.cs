using System.Globalization;
using System.Text.Json;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// AWS Security Finding Format (ASFF 2018-10-08) for Security Hub's <c>BatchImportFindings</c>: a JSON array of
/// requests, each <c>{"Findings": [...]}</c> with at most <see cref="BatchSize"/> findings of one account and one
/// region, so that each request can be sent as it is by that account in that region (a custom integration's default
/// product ARN, <c>arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default</c>, accepts only its own account's
/// findings).
/// <list type="bullet">
/// <item><c>Compliance.Status</c>: Pass → PASSED, Fail → FAILED, InsufficientData → WARNING ("some information is
/// missing": never a pass), Error and NotApplicable → NOT_AVAILABLE (the check could not be performed or does not
/// apply).</item>
/// <item><c>Severity.Label</c>: the effective severity, upper-case; Pass and NotApplicable findings are INFORMATIONAL,
/// as Security Hub's own controls write a PASSED finding. <c>Severity.Original</c> keeps the effective severity.</item>
/// <item><c>Workflow.Status</c>: NEW, SUPPRESSED for a suppressed finding, RESOLVED for Pass and NotApplicable.
/// <c>RecordState</c> ACTIVE. A suppressed finding also has a <c>Note</c>: its justification (<c>Text</c>, at most
/// 512 characters) by its owner (<c>UpdatedBy</c>; the suppression's file:line:col when it names no owner).</item>
/// <item>With a baseline (<c>--baseline</c>), each finding's <c>ProductFields</c> say <c>policy-engine/BaselineStatus</c>
/// new or unchanged, and each fixed finding (in the baseline, absent now) is written too, with the same <c>Id</c> as
/// when it was imported, <c>RecordState</c> ARCHIVED and <c>Workflow.Status</c> RESOLVED, so that importing the report
/// closes it in Security Hub. Its <c>Compliance.Status</c> is PASSED when its subject passes now, NOT_AVAILABLE when
/// the rule no longer applies, and the baseline's otherwise (the subject is gone: its last known state, as Security
/// Hub keeps for a deleted resource).</item>
/// <item><c>Resources[0].Type</c>: Security Hub's type for the resource's ARN (AwsS3Bucket, AwsIamRole, …), AwsAccount
/// for account and account × region subjects (Id <c>AWS::::Account:ACCOUNT</c>), Other otherwise.</item>
/// <item>Limits: Title at most 256 characters, Description 1,024, Remediation text 512, ProductFields values 2,048;
/// longer text is cut and ends with <see cref="TruncationMarker"/>.</item>
/// <item><c>CreatedAt</c>/<c>UpdatedAt</c>: the snapshot's collection time, never the wall clock.</item>
/// </list>
/// A finding without an account (an organization subject of a snapshot that names no management account) cannot be
/// imported and is left out.
/// </summary>
public sealed class AsffReporter : IFindingsReporter
{
    /// <summary>BatchImportFindings accepts at most 100 findings per request.</summary>
    public const int BatchSize = 100;

    /// <summary>ASFF's only schema version.</summary>
    public const string SchemaVersion = "2018-10-08";

    /// <summary>The maximum length of Title.</summary>
    public const int TitleLimit = 256;

    /// <summary>The maximum length of Description.</summary>
    public const int DescriptionLimit = 1024;

    /// <summary>The maximum length of Remediation.Recommendation.Text.</summary>
    public const int RecommendationLimit = 512;

    /// <summary>The maximum length of Note.Text (and, here, Note.UpdatedBy).</summary>
    public const int NoteLimit = 512;

    /// <summary>The maximum length of a ProductFields value.</summary>
    public const int ProductFieldLimit = 2048;

    /// <summary>What ends a text cut to fit a limit.</summary>
    public const string TruncationMarker = " …[truncated]";

    /// <summary>The finding type, namespace/category/classifier.</summary>
    public const string FindingType = "Software and Configuration Checks/Industry and Regulatory Standards/AWS Security Reference Architecture";

    /// <inheritdoc/>
    public string Format => "asff";

    /// <inheritdoc/>
    public string FileExtension => ".asff.json";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var time = ReportWriting.CollectedAt(result).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var fixedFindings = ReportWriting.FixedFindings(context.Baseline?.Fixed ?? [], result);
        var isFixed = new HashSet<Finding>(fixedFindings, ReferenceEqualityComparer.Instance);
        var batches = Batches(ReportWriting.Listed(result, context).Concat(fixedFindings), context.AsffRegion);
        ReportWriting.WriteJson(output, writer =>
        {
            writer.WriteStartArray();
            foreach (var batch in batches)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("Findings");
                foreach (var (finding, region) in batch)
                {
                    WriteFinding(writer, finding, region, time, isFixed.Contains(finding) ? BaselineStatus.Fixed : context.Baseline?.StatusOf(finding));
                    writer.FlushWhenFull();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// The findings grouped by (account, Security Hub region), groups in ordinal order, findings in report order,
    /// cut into requests of at most <see cref="BatchSize"/>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(Finding Finding, string Region)>> Batches(IEnumerable<Finding> findings, string defaultRegion)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(defaultRegion);
        var groups = new SortedDictionary<(string Account, string Region), List<(Finding, string)>>(
            Comparer<(string Account, string Region)>.Create((a, b) => string.CompareOrdinal(a.Account, b.Account) is var c and not 0 ? c : string.CompareOrdinal(a.Region, b.Region)));
        foreach (var finding in findings)
        {
            if (finding.Subject.Account is not { } account)
            {
                continue;
            }

            var region = OcsfReporter.RealRegion(finding.Subject.Region) ?? defaultRegion;
            if (!groups.TryGetValue((account, region), out var group))
            {
                groups.Add((account, region), group = []);
            }

            group.Add((finding, region));
        }

        return groups.Values.SelectMany(g => g.Chunk(BatchSize)).Select(c => (IReadOnlyList<(Finding, string)>)c).ToList();
    }

    /// <summary>The <c>Compliance.Status</c> of an outcome.</summary>
    public static string ComplianceStatus(Outcome outcome) => outcome switch
    {
        Outcome.Pass => "PASSED",
        Outcome.Fail => "FAILED",
        Outcome.InsufficientData => "WARNING",
        _ => "NOT_AVAILABLE",
    };

    /// <summary>The custom integration's default product ARN for an account and region.</summary>
    public static string ProductArn(string region, string account) => $"arn:aws:securityhub:{region}:{account}:product/{account}/default";

    /// <summary>Cuts a text to at most <paramref name="limit"/> characters, ending it with <see cref="TruncationMarker"/>.</summary>
    public static string Truncate(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= limit)
        {
            return text;
        }

        var keep = limit - TruncationMarker.Length;
        // Never split a surrogate pair.
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), TruncationMarker);
    }

    /// <summary>Security Hub's resource type and id for a subject.</summary>
    public static (string Type, string Id) Resource(FindingSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Kind == TargetKind.Resource && subject.Resource is { } resource)
        {
            return (ArnResourceType(resource), resource);
        }

        if (subject.Kind is TargetKind.Account or TargetKind.AccountRegion or TargetKind.Evidence && subject.Account is { } account)
        {
            return ("AwsAccount", $"AWS::::Account:{account}");
        }

        return ("Other", subject.Resource ?? subject.Account ?? "organization");
    }

    // Security Hub's resource types, by the ARN's service and resource type (the text before the first '/' or ':').
    private static readonly Dictionary<(string Service, string ResourceType), string> ArnTypes = new()
    {
        [("s3", "")] = "AwsS3Bucket",
        [("iam", "role")] = "AwsIamRole",
        [("iam", "user")] = "AwsIamUser",
        [("iam", "group")] = "AwsIamGroup",
        [("iam", "policy")] = "AwsIamPolicy",
        [("kms", "key")] = "AwsKmsKey",
        [("cloudtrail", "trail")] = "AwsCloudTrailTrail",
        [("guardduty", "detector")] = "AwsGuardDutyDetector",
        [("lambda", "function")] = "AwsLambdaFunction",
        [("sqs", "")] = "AwsSqsQueue",
        [("sns", "")] = "AwsSnsTopic",
        [("ec2", "instance")] = "AwsEc2Instance",
        [("ec2", "vpc")] = "AwsEc2Vpc",
        [("ec2", "security-group")] = "AwsEc2SecurityGroup",
        [("ec2", "subnet")] = "AwsEc2Subnet",
        [("ec2", "volume")] = "AwsEc2Volume",
        [("dynamodb", "table")] = "AwsDynamoDbTable",
        [("secretsmanager", "secret")] = "AwsSecretsManagerSecret",
        [("rds", "db")] = "AwsRdsDbInstance",
        [("rds", "cluster")] = "AwsRdsDbCluster",
        [("apigateway", "restapis")] = "AwsApiGatewayRestApi",
        [("cloudfront", "distribution")] = "AwsCloudFrontDistribution",
        [("wafv2", "regional")] = "AwsWafv2WebAcl",
        [("wafv2", "global")] = "AwsWafv2WebAcl",
        [("elasticloadbalancing", "loadbalancer")] = "AwsElbv2LoadBalancer",
        [("ecr", "repository")] = "AwsEcrRepository",
        [("eks", "cluster")] = "AwsEksCluster",
        [("kinesis", "stream")] = "AwsKinesisStream",
        [("states", "stateMachine")] = "AwsStepFunctionStateMachine",
        [("appsync", "apis")] = "AwsAppSyncGraphQlApi",
    };

    /// <summary>Security Hub's resource type for an ARN, or Other.</summary>
    public static string ArnResourceType(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':', 6);
        if (parts.Length < 6 || parts[0] != "arn")
        {
            return "Other";
        }

        var service = parts[2];
        var rest = parts[5];
        var end = rest.AsSpan().IndexOfAny('/', ':');
        var type = end < 0 ? string.Empty : rest[..end];
        // An S3 bucket ARN has neither region, account nor resource type: arn:aws:s3:::NAME (an object has a '/').
        if (service == "s3")
        {
            return end < 0 ? "AwsS3Bucket" : "AwsS3Object";
        }

        return ArnTypes.TryGetValue((service, type), out var known) || ArnTypes.TryGetValue((service, string.Empty), out known) ? known : "Other";
    }

    private static void WriteFinding(Utf8JsonWriter writer, Finding finding, string region, string time, BaselineStatus? status)
    {
        var rule = finding.Rule;
        var subject = finding.Subject;
        var account = subject.Account!;
        var resolved = finding.Outcome is Outcome.Pass or Outcome.NotApplicable || status == BaselineStatus.Fixed;
        var label = resolved ? "INFORMATIONAL" : finding.Severity.ToName().ToUpperInvariant();
        writer.WriteStartObject();
        writer.WriteString("SchemaVersion", SchemaVersion);
        writer.WriteString("Id", OcsfReporter.FindingUid(finding));
        writer.WriteString("ProductArn", ProductArn(region, account));
        writer.WriteString("GeneratorId", $"policy-engine/{rule.Id}");
        writer.WriteString("AwsAccountId", account);
        writer.WriteStartArray("Types");
        writer.WriteStringValue(FindingType);
        writer.WriteEndArray();
        writer.WriteString("CreatedAt", time);
        writer.WriteString("UpdatedAt", time);
        writer.WriteStartObject("Severity");
        writer.WriteString("Label", label);
        writer.WriteString("Original", finding.Severity.ToName());
        writer.WriteEndObject();
        writer.WriteString("Title", Truncate($"{rule.Id} {(rule.Title.Length > 0 ? rule.Title : rule.Category)}", TitleLimit));
        var description = rule.Description.Length > 0 ? $"{finding.Message}\n\n{rule.Description}" : finding.Message;
        writer.WriteString("Description", Truncate(string.IsNullOrWhiteSpace(description) ? rule.Id : description, DescriptionLimit));
        if (rule.Remediation.Length > 0 || rule.HelpUri is not null)
        {
            writer.WriteStartObject("Remediation");
            writer.WriteStartObject("Recommendation");
            if (rule.Remediation.Length > 0)
            {
                writer.WriteString("Text", Truncate(rule.Remediation, RecommendationLimit));
            }

            writer.WriteOptional("Url", rule.HelpUri);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteOptional("SourceUrl", rule.HelpUri);
        writer.WriteStartObject("ProductFields");
        WriteField(writer, "policy-engine/RuleId", rule.Id);
        WriteField(writer, "policy-engine/Category", rule.Category);
        WriteField(writer, "policy-engine/Outcome", finding.Outcome.ToName());
        WriteField(writer, "policy-engine/SubjectKind", subject.Kind.ToName());
        WriteField(writer, "policy-engine/Subject", subject.Resource);
        WriteField(writer, "policy-engine/OuPath", subject.OuPath);
        WriteField(writer, "policy-engine/Path", finding.Path?.ToString());
        WriteField(writer, "policy-engine/Code", finding.Code);
        WriteField(writer, "policy-engine/SuppressionJustification", finding.Suppression?.Justification);
        WriteField(writer, "policy-engine/SuppressionSource", finding.Suppression?.Source);
        WriteField(writer, "policy-engine/SuppressionOwner", finding.Suppression?.Owner);
        WriteField(writer, "policy-engine/BaselineStatus", status?.ToName());
        writer.WriteEndObject();

        var (type, id) = Resource(subject);
        writer.WriteStartArray("Resources");
        writer.WriteStartObject();
        writer.WriteString("Type", type);
        writer.WriteString("Id", id);
        writer.WriteString("Partition", "aws");
        writer.WriteString("Region", region);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("Compliance");
        writer.WriteString("Status", ComplianceStatus(finding.Outcome));
        if (rule.SraVerifyCheck is { } check)
        {
            writer.WriteStartArray("RelatedRequirements");
            writer.WriteStringValue($"SRA Verify {check}");
            writer.WriteEndArray();
        }

        if (finding.Outcome is Outcome.InsufficientData or Outcome.Error)
        {
            writer.WriteStartArray("StatusReasons");
            writer.WriteStartObject();
            writer.WriteString("ReasonCode", finding.Code ?? (finding.Outcome == Outcome.InsufficientData ? "INSUFFICIENT_DATA" : "EVALUATION_ERROR"));
            writer.WriteString("Description", Truncate(finding.Message, DescriptionLimit));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();

        writer.WriteStartObject("FindingProviderFields");
        writer.WriteStartObject("Severity");
        writer.WriteString("Label", label);
        writer.WriteString("Original", finding.Severity.ToName());
        writer.WriteEndObject();
        writer.WriteStartArray("Types");
        writer.WriteStringValue(FindingType);
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartObject("Workflow");
        writer.WriteString("Status", status == BaselineStatus.Fixed ? "RESOLVED" : finding.Suppression is not null ? "SUPPRESSED" : resolved ? "RESOLVED" : "NEW");
        writer.WriteEndObject();
        writer.WriteString("RecordState", status == BaselineStatus.Fixed ? "ARCHIVED" : "ACTIVE");
        if (finding.Suppression is { } suppression)
        {
            // ASFF's field for a person's word on a finding: the justification, by the suppression's owner (or, without
            // one, where the suppression is written). Like Workflow, Security Hub takes it when the finding is created.
            writer.WriteStartObject("Note");
            writer.WriteString("Text", Truncate(suppression.Justification, NoteLimit));
            writer.WriteString("UpdatedBy", Truncate(suppression.Owner ?? suppression.Source, NoteLimit));
            writer.WriteString("UpdatedAt", time);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            writer.WriteString(name, Truncate(value, ProductFieldLimit));
        }
    }
}
