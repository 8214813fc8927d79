using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class ReportFilterTests
{
    private static string[] Kept(ReportFilter filter) =>
        [.. filter.Apply(ReportFixture.Result()).Findings.Select(f => $"{f.Rule.Id} {f.Outcome.ToName()} {f.Subject.Account} {f.Subject.Region}")];

    [Fact]
    public void An_empty_filter_keeps_everything_and_says_nothing()
    {
        var filter = new ReportFilter();
        Assert.True(filter.IsEmpty);
        Assert.Null(filter.Describe());
        Assert.Same(ReportFixture.Result().GetType(), filter.Apply(ReportFixture.Result()).GetType());
        Assert.Equal(8, Kept(filter).Length);
    }

    [Fact]
    public void Each_filter_keeps_what_matches_and_filters_combine_with_and()
    {
        Assert.Equal(["SRA-CLOUDTRAIL-01 fail 111111111111 global", "SRA-GUARDDUTY-01 error 222222222222 eu-west-1", "SRA-GUARDDUTY-01 fail 222222222222 us-east-1",
            "SRA-GUARDDUTY-01 pass 333333333333 eu-west-1", "SRA-GUARDDUTY-01 insufficientData 333333333333 us-east-1"],
            Kept(new ReportFilter { MinimumSeverity = RuleSeverity.High }));
        Assert.Equal(["SRA-GUARDDUTY-01 fail 222222222222 us-east-1", "SRA-GUARDDUTY-01 insufficientData 333333333333 us-east-1"],
            Kept(new ReportFilter { Rules = ["sra-guard*"], Regions = ["US-EAST-1"] }));
        Assert.Equal(["SRA-S3-02 fail 444444444444 us-east-1"], Kept(new ReportFilter { OuPaths = ["Root/Security/"], Outcomes = [Outcome.Fail] }));
        Assert.Empty(Kept(new ReportFilter { OuPaths = ["Root/Sec"] }));
        Assert.Equal(3, Kept(new ReportFilter { Services = ["s3"] }).Length);
        Assert.Equal(2, Kept(new ReportFilter { Accounts = ["333333333333"] }).Length);
        Assert.Equal(["SRA-CLOUDTRAIL-01 fail 111111111111 global"], Kept(new ReportFilter { Rules = ["SRA-CLOUDTRAIL-0?"] }));
    }

    [Theory]
    [InlineData("Root/Workloads/Prod", "Root/Workloads", true)]
    [InlineData("Root/Workloads", "root/workloads/", true)]
    [InlineData("Root/WorkloadsX", "Root/Workloads", false)]
    [InlineData("Root", "Root/Workloads", false)]
    public void An_ou_prefix_matches_whole_segments(string ouPath, string prefix, bool under) =>
        Assert.Equal(under, ReportFilter.IsUnder(ouPath, prefix));

    [Fact]
    public void The_description_names_every_filter()
    {
        var filter = new ReportFilter
        {
            MinimumSeverity = RuleSeverity.High, Rules = ["SRA-GUARDDUTY-*"], Services = ["GuardDuty", "S3"], Accounts = ["111111111111"],
            OuPaths = ["Root/Prod"], Regions = ["us-east-1"], Outcomes = [Outcome.Fail, Outcome.InsufficientData],
        };
        Assert.Equal("severity high or above; rule SRA-GUARDDUTY-*; service GuardDuty or S3; account 111111111111; ou Root/Prod; region us-east-1; outcome fail or insufficientData",
            filter.Describe());
    }
}
