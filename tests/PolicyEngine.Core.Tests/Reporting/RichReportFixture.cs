using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// <see cref="ReportFixture"/>'s result as an evaluation of a real snapshot gives it: with the snapshot's collection
/// time and each account's OU path (the html, ocsf and asff reports show both).
/// </summary>
internal static class RichReportFixture
{
    public static DateTimeOffset CollectedAt { get; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> OuPaths = new(StringComparer.Ordinal)
    {
        ["111111111111"] = "Root",
        ["222222222222"] = "Root/Workloads/Prod",
        ["333333333333"] = "Root/Security",
        ["444444444444"] = "Root/Security",
        ["555555555555"] = "Root/Workloads/Dev",
    };

    public static EvaluationResult Result()
    {
        var result = ReportFixture.Result();
        var findings = result.Findings
            .Select(f => f with { Subject = f.Subject with { OuPath = f.Subject.Account is { } a ? OuPaths.GetValueOrDefault(a) : null } })
            .ToArray();
        return result with { Findings = findings, CollectedAt = CollectedAt };
    }

    /// <summary>
    /// A comparison of <paramref name="result"/> (<see cref="Result"/>'s findings, the instances a reporter is given) with a baseline that lacks its first finding (new now) and holds a GuardDuty
    /// failure in ap-south-1 that is gone (fixed); every other finding is unchanged.
    /// </summary>
    public static BaselineComparison Baseline(EvaluationResult result) => BaselineComparison.Compare(result.Findings, BaselineReport(result));

    /// <summary>The baseline report of <see cref="Baseline"/>, as read back from its JSON.</summary>
    public static ReportedFindings BaselineReport(EvaluationResult result)
    {
        var gone = Gone(result);
        using var stream = new MemoryStream();
        new JsonReporter().Write(new EvaluationResult("snapshot.json", result.Rules, [.. result.Findings.Skip(1), gone]), ReportFixture.Context(), stream);
        var diagnostics = new List<PolicyEngine.Core.Diagnostics.Diagnostic>();
        var baseline = ReportedFindings.Parse("baseline.json", stream.ToArray(), diagnostics)!;
        Assert.Empty(diagnostics);
        return baseline;
    }

    /// <summary>The baseline's finding that is fixed now: a GuardDuty failure in ap-south-1.</summary>
    public static Finding Gone(EvaluationResult result) => result.Findings[2] with
    {
        Subject = result.Findings[2].Subject with { Region = "ap-south-1", OuPath = "Root/Prod" },
        Fingerprint = FindingFingerprint.Compute("SRA-GUARDDUTY-01", "222222222222", "ap-south-1", "x", string.Empty),
        Message = "GuardDuty has no detector in 222222222222 ap-south-1",
    };

    public static byte[] Render(IFindingsReporter reporter, ReportContext context, EvaluationResult? result = null)
    {
        using var stream = new MemoryStream();
        reporter.Write(result ?? Result(), context, stream);
        return stream.ToArray();
    }

    public static string Text(byte[] bytes) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);

    /// <summary>Asserts the reporters' shared promises: byte-identical twice, UTF-8 without BOM, LF only, final newline.</summary>
    public static void AssertDeterministicUtf8(IFindingsReporter reporter, ReportContext context)
    {
        var first = Render(reporter, context);
        Assert.Equal(first, Render(reporter, context));
        Assert.False(first.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        Assert.DoesNotContain((byte)'\r', first);
        Assert.Equal((byte)'\n', first[^1]);
        _ = Text(first);
    }

    /// <summary>
    /// A result of many failing S3 rules: rule i is SRA-GEN-i with <paramref name="severity"/>(i), and each has
    /// <paramref name="perRule"/> failing buckets of one account, whose messages <paramref name="message"/>(j) gives;
    /// <paramref name="located"/> puts finding j at line 10 + j, column 3.
    /// </summary>
    public static EvaluationResult ManyFailingRules(int rules, int perRule, Func<int, RuleSeverity> severity, Func<int, string> message, bool located = false)
    {
        var descriptors = Enumerable.Range(0, rules).Select(i => ReportFixture.S3 with
        {
            Id = $"SRA-GEN-{i:D2}",
            Title = $"Generated rule {i}",
            DefaultSeverity = severity(i),
        }).ToArray();
        var findings = descriptors.SelectMany(rule => Enumerable.Range(0, perRule).Select(j => new Finding
        {
            Rule = rule,
            Outcome = Outcome.Fail,
            Severity = rule.DefaultSeverity,
            Subject = new() { Kind = TargetKind.Resource, Account = "444444444444", Region = "us-east-1", Resource = $"arn:aws:s3:::bucket-{j:D5}" },
            Message = message(j),
            Line = located ? 10 + j : 0,
            Column = located ? 3 : 0,
        })).ToArray();
        return new EvaluationResult("snapshot.json", descriptors, findings);
    }
}
