using System.Text;
using System.Text.RegularExpressions;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Tests.Evaluation;

public partial class MessageFormatterTests
{
    private static readonly SnapshotAccount Account = new("111111111111", "Security Tooling", "ACTIVE", "Root/Security", [], default, NormalizedPath.Root);

    private static readonly Subject Full = new()
    {
        Kind = TargetKind.AccountRegion, Account = Account, AccountId = "111111111111", Region = "eu-west-1", Resource = "detector/abc",
    };

    private static readonly Subject Bare = new() { Kind = TargetKind.AccountRegion };

    private static RawFinding Raw(string format, string detail = "", Outcome outcome = Outcome.Fail, Subject? subject = null, string id = "SRA-TEST-01") =>
        new(Rule(format, id), outcome, subject ?? Full, detail, null, null);

    private static CompiledRule Rule(string format, string id = "SRA-TEST-01") => new()
    {
        Descriptor = new RuleDescriptor { Id = id, Title = "t", MessageFormat = format, Category = "c", DefaultSeverity = RuleSeverity.Low },
        Target = TargetKind.AccountRegion,
        Location = new SourceLocation("r.yaml", 1, 5),
    };

    [Theory]
    [InlineData("GuardDuty has no detector in {account}/{region}.", "", "GuardDuty has no detector in 111111111111/eu-west-1.")]
    [InlineData("{account} {accountName} {region} {resource} {rule} {ouPath}", "",
        "111111111111 Security Tooling eu-west-1 detector/abc SRA-TEST-01 Root/Security")]
    [InlineData("Bad: {detail}", "it broke", "Bad: it broke")]
    [InlineData("Bad.", "it broke", "Bad (it broke).")]
    [InlineData("Bad...", "it broke", "Bad (it broke).")]
    [InlineData("Bad", "it broke", "Bad (it broke).")]
    [InlineData("", "it broke", " (it broke).")]
    [InlineData("", "", "")]
    [InlineData("   ", "", "")]
    [InlineData("  Bad {account}.  \t\n", "", "Bad 111111111111.")]
    [InlineData("  Bad {account}.  ", "d", "Bad 111111111111 (d).")]
    [InlineData("{unknown} stays", "", "{unknown} stays")]
    [InlineData("{Account} is case-sensitive", "", "{Account} is case-sensitive")]
    [InlineData("{{account}}", "", "{111111111111}")]
    [InlineData("{{{account}}}", "", "{{111111111111}}")]
    [InlineData("{ account}{account }{account", "", "{ account}{account }{account")]
    [InlineData("{}{account}{", "", "{}111111111111{")]
    [InlineData("{account1}{ac-count}{ác}", "", "{account1}{ac-count}{ác}")]
    [InlineData("{a{account}}", "", "{a111111111111}")]
    [InlineData("{account}{region}{account}", "", "111111111111eu-west-1111111111111")]
    [InlineData("}{account}{", "", "}111111111111{")]
    [InlineData("\\{account\\}", "", "\\{account\\}")]
    [InlineData("\\{account}", "", "\\111111111111")]
    [InlineData("{detail}", "", "")]
    [InlineData("{detail} and {detail}", "x", "x and x")]
    [InlineData("{{detail}}", "x", "{x}")]
    [InlineData("{Detail}", "x", "{Detail} (x).")]
    [InlineData("{detail", "x", "{detail (x).")]
    [InlineData("Détail ✓ 😀 {region}", "", "Détail ✓ 😀 eu-west-1")]
    public void Renders_failures(string format, string detail, string expected)
    {
        Assert.Equal(expected, MessageFormatter.Render(Raw(format, detail)));
    }

    [Fact]
    public void Missing_subject_parts_render_as_dashes()
    {
        Assert.Equal("- - - - - SRA-X", MessageFormatter.Render(Raw("{account} {accountName} {region} {resource} {ouPath} {rule}", subject: Bare, id: "SRA-X")));
    }

    [Fact]
    public void Substituted_values_are_not_rescanned_and_may_be_trimmed()
    {
        var subject = Full with { Region = "{account}", Resource = "  " };
        Assert.Equal("{account}", MessageFormatter.Render(Raw("{region}", subject: subject)));
        Assert.Equal("x", MessageFormatter.Render(Raw("{resource}x{resource}", subject: subject)));
        Assert.Equal("{detail}", MessageFormatter.Render(Raw("{detail}", "{detail}")));
        Assert.Equal("{account} ({region}).", MessageFormatter.Render(Raw("{region}.", "{region}", subject: subject)));
    }

    [Theory]
    [InlineData(Outcome.Pass, "", "Passed.")]
    [InlineData(Outcome.Pass, "all good", "All good.")]
    [InlineData(Outcome.Pass, "ok.", "Ok.")]
    [InlineData(Outcome.NotApplicable, "", "notApplicable")]
    [InlineData(Outcome.InsufficientData, "", "insufficientData")]
    [InlineData(Outcome.Error, "", "error")]
    [InlineData(Outcome.Error, "é failed", "É failed.")]
    [InlineData(Outcome.NotApplicable, "out of scope {account}", "Out of scope {account}.")]
    public void Other_outcomes_explain_themselves(Outcome outcome, string detail, string expected)
    {
        Assert.Equal(expected, MessageFormatter.Render(Raw("Ignored {account}.", detail, outcome)));
    }

    [Fact]
    public void The_same_template_renders_per_finding()
    {
        var rule = Rule("In {region}: {resource}.");
        Assert.Equal("In eu-west-1: detector/abc.", MessageFormatter.Render(new RawFinding(rule, Outcome.Fail, Full, "", null, null)));
        Assert.Equal("In us-east-1: - (why).", MessageFormatter.Render(new RawFinding(rule, Outcome.Fail, Bare with { Region = "us-east-1" }, "why", null, null)));
        Assert.Equal("In eu-west-1: detector/abc.", MessageFormatter.Render(new RawFinding(rule, Outcome.Fail, Full, "", null, null)));
    }

    /// <summary>
    /// Random templates over an alphabet rich in braces, letters and placeholder names, checked against the
    /// straightforward regex rendering the formatter has always had.
    /// </summary>
    [Fact]
    public void Matches_the_regex_rendering_on_random_templates()
    {
        string[] pieces =
        [
            "{", "}", "{{", "}}", "a", "Z", "1", " ", "\t", ".", "..", "é", "😀", "\\", "-", "{x}", "{}", "{ }",
            "{account}", "{accountName}", "{region}", "{resource}", "{detail}", "{rule}", "{ouPath}", "{REGION}", "{account",
            "account}", "{detail.}", "{accountNam}", "{ouPathx}",
        ];
        string[] details = ["", "d", "why.", " spaced ", "{account}", "x..", "é"];
        Subject[] subjects = [Full, Bare, Full with { Account = null }, Full with { Region = " r " }];
        var random = new Random(20261130);
        for (var i = 0; i < 20000; i++)
        {
            var template = new StringBuilder();
            for (var n = random.Next(0, 9); n > 0; n--)
            {
                template.Append(pieces[random.Next(pieces.Length)]);
            }

            var raw = Raw(template.ToString(), details[random.Next(details.Length)], Outcome.Fail, subjects[random.Next(subjects.Length)]);
            Assert.Equal(Reference(raw), MessageFormatter.Render(raw));
        }
    }

    /// <summary>The rendering of failures as first written: one regex replacement per finding.</summary>
    private static string Reference(RawFinding raw)
    {
        var text = Placeholder().Replace(raw.Rule.Descriptor.MessageFormat, match => match.Groups[1].Value switch
        {
            "account" => raw.Subject.AccountId ?? "-",
            "accountName" => raw.Subject.Account?.Name ?? "-",
            "region" => raw.Subject.Region ?? "-",
            "resource" => raw.Subject.Resource ?? "-",
            "detail" => raw.Detail,
            "rule" => raw.Rule.Descriptor.Id,
            "ouPath" => raw.Subject.Account?.OuPath ?? "-",
            _ => match.Value,
        }).Trim();
        return raw.Detail.Length > 0 && !raw.Rule.Descriptor.MessageFormat.Contains("{detail}", StringComparison.Ordinal)
            ? $"{text.TrimEnd('.')} ({raw.Detail})."
            : text;
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}
