using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// A hand-built evaluation result covering every outcome, a suppressed finding, an unknown location, an
/// overridden severity, a category without findings, CSV-hostile text, non-ASCII and a control character.
/// </summary>
internal static class ReportFixture
{
    public static ReportContext Context(bool includePassing = false, bool useColor = false) => new()
    {
        ToolVersion = "1.2.3-test",
        InformationUri = new Uri("https://example.com/policy-engine"),
        SnapshotPath = "out/snapshot.json",
        IncludePassing = includePassing,
        UseColor = useColor,
    };

    public static RuleDescriptor CloudTrail { get; } = new()
    {
        Id = "SRA-CLOUDTRAIL-01",
        Title = "Organization trail is enabled",
        MessageFormat = "no organization trail in {account}",
        Category = "CloudTrail",
        DefaultSeverity = RuleSeverity.Critical,
        Description = "An organization trail records API activity in every account.",
        Remediation = "Create an organization trail in the management account.",
        HelpUri = "https://example.com/sra/cloudtrail",
        SraVerifyCheck = "SRA-CT-1",
        SraExamplesSolution = "cloudtrail_org",
        Tags = ["logging"],
        AccountScope = ["management"],
        Target = "organization",
        SourceFile = "cloudtrail/org-trail.yaml",
    };

    public static RuleDescriptor GuardDuty { get; } = new()
    {
        Id = "SRA-GUARDDUTY-01",
        Title = "GuardDuty detector enabled",
        MessageFormat = "GuardDuty has no detector in {account} {region}",
        Category = "GuardDuty",
        DefaultSeverity = RuleSeverity.High,
        Description = "Every governed region of every account has a GuardDuty detector.",
        Remediation = "Enable GuardDuty with the delegated administrator's auto-enable.",
        SraVerifyCheck = "SRA-GD-1",
        Tags = ["security", "threat-detection"],
        Target = "evidence",
        SourceFile = "guardduty/detector.yaml",
    };

    public static RuleDescriptor S3 { get; } = new()
    {
        Id = "SRA-S3-02",
        Title = "S3 buckets block public access",
        MessageFormat = "bucket {resource} allows public access",
        Category = "S3",
        DefaultSeverity = RuleSeverity.Medium,
        Description = "Buckets block public access, \"all four\" settings, account-wide or per bucket.",
        Remediation = "Turn on S3 Block Public Access.",
        IsExtension = true,
        DiffersFromSraVerify = "SRA Verify checks the account setting only.",
        Links = ["https://example.com/s3/bpa"],
        AccountScope = ["logArchive"],
        Target = "resource",
        SourceFile = "s3/public-access.yaml",
    };

    public static RuleDescriptor Iam { get; } = new()
    {
        Id = "SRA-IAM-01",
        Title = "IAM Access Analyzer",
        MessageFormat = "no analyzer in {account}",
        Category = "IAM",
        DefaultSeverity = RuleSeverity.Informational,
        IsEnabledByDefault = false,
        AccountScope = ["securityTooling"],
        Target = "account",
    };

    public static EvaluationResult Result()
    {
        var evidence = NormalizedPath.Root.Append("evidence");
        Finding[] findings =
        [
            new()
            {
                Rule = CloudTrail, Outcome = Outcome.Fail, Severity = RuleSeverity.Critical,
                Subject = new() { Kind = TargetKind.Organization, Account = "111111111111", AccountName = "Management", Region = "global", Resource = "organization" },
                Message = "no organization trail in 111111111111",
                Path = NormalizedPath.Root.Append("organization").Append("trails"), Line = 12, Column = 5,
            },
            new()
            {
                Rule = GuardDuty, Outcome = Outcome.Error, Severity = RuleSeverity.High,
                Subject = new() { Kind = TargetKind.Evidence, Account = "222222222222", AccountName = "Prod — Café", Region = "eu-west-1", Resource = "guardduty:ListDetectors/222222222222/eu-west-1" },
                Message = "predicate threw: TypeError: cannot read 'length' of undefined",
                Code = "PE3002",
            },
            new()
            {
                Rule = GuardDuty, Outcome = Outcome.Fail, Severity = RuleSeverity.High,
                Subject = new() { Kind = TargetKind.Evidence, Account = "222222222222", AccountName = "Prod — Café", Region = "us-east-1", Resource = "guardduty:ListDetectors/222222222222/us-east-1" },
                Message = "GuardDuty has no detector in 222222222222 us-east-1",
                Path = evidence.Append(4).Append("response").Append("DetectorIds"), Line = 123, Column = 9,
            },
            new()
            {
                Rule = GuardDuty, Outcome = Outcome.Pass, Severity = RuleSeverity.High,
                Subject = new() { Kind = TargetKind.Evidence, Account = "333333333333", AccountName = "Audit", Region = "eu-west-1", Resource = "guardduty:ListDetectors/333333333333/eu-west-1" },
                Message = "GuardDuty detector 1234abcd is enabled",
                Path = evidence.Append(7).Append("response"), Line = 201, Column = 7,
            },
            new()
            {
                Rule = GuardDuty, Outcome = Outcome.InsufficientData, Severity = RuleSeverity.High,
                Subject = new() { Kind = TargetKind.Evidence, Account = "333333333333", AccountName = "Audit", Region = "us-east-1", Resource = "guardduty:ListDetectors/333333333333/us-east-1" },
                Message = "insufficient data: guardduty:ListDetectors in 333333333333 us-east-1 failed with AccessDenied",
                Path = evidence.Append(8), Line = 0, Column = 0,
                Code = "AccessDenied",
            },
            new()
            {
                Rule = S3, Outcome = Outcome.Fail, Severity = RuleSeverity.Low,
                Subject = new() { Kind = TargetKind.Resource, Account = "444444444444", AccountName = "Log Archive", Region = "us-east-1", Resource = "arn:aws:s3:::access-logs", OuPath = "Root/Security" },
                Message = "bucket arn:aws:s3:::access-logs allows public access: \"BlockPublicAcls\": false, \"IgnorePublicAcls\": false",
                Path = NormalizedPath.Root.Append("resources").Append(0).Append("configuration"), Line = 340, Column = 11,
                Suppression = new SuppressionInfo("Public website bucket, reviewed by security 2025-01", "policy.yaml:14:7", "web-team@example.com"),
            },
            new()
            {
                Rule = S3, Outcome = Outcome.Fail, Severity = RuleSeverity.Medium,
                Subject = new() { Kind = TargetKind.Resource, Account = "444444444444", AccountName = "Log Archive", Region = "us-east-1", Resource = "arn:aws:s3:::odd\u001b[31mname" },
                Message = "bucket arn:aws:s3:::odd\u001b[31mname allows public access,\nsee line two",
                Path = NormalizedPath.Root.Append("resources").Append(1).Append("configuration"), Line = 377, Column = 11,
            },
            new()
            {
                Rule = S3, Outcome = Outcome.NotApplicable, Severity = RuleSeverity.Medium,
                Subject = new() { Kind = TargetKind.Resource, Account = "555555555555", AccountName = "Workload", Region = "us-east-1", Resource = "arn:aws:s3:::workload-data" },
                Message = "account 555555555555 is not a logArchive account",
            },
        ];
        // Fingerprints as an evaluation computes them (the fixture's paths hold no record positions to replace).
        findings = [.. findings.Select(f => f with
        {
            Fingerprint = FindingFingerprint.Compute(f.Rule.Id, f.Subject.Account, f.Subject.Region, f.Subject.Resource, f.Path?.ToString() ?? string.Empty),
        })];
        return new EvaluationResult("snapshot.json", [CloudTrail, GuardDuty, Iam, S3], findings);
    }

    public static IReadOnlyList<Diagnostic> Diagnostics() =>
    [
        Diagnostic.Warning("PE1203", new SourceLocation("rules/s3/public-access.yaml", 9, 3), "unknown key 'severty'; did you mean 'severity'?"),
        Diagnostic.Error("PE1101", new SourceLocation("rules\\guardduty\\detector.yaml", 4, 11), "severity 'urgent' is not one of informational, low, medium, high, critical"),
        Diagnostic.Error("PE1001", SourceLocation.None, "the rules directory 'rules' has no rule files"),
    ];
}
