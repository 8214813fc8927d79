using System.Text.Json;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace PolicyEngine.Cli.Tests.Reports;

/// <summary>
/// One headless Chromium for the class: the system's browser (Debian's <c>chromium</c>, which <c>.ci/run</c>
/// installs), never a downloaded one. A missing browser fails the tests, it does not skip them.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium; PE_CHROMIUM overrides it.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("PE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public IBrowser Browser { get; private set; } = null!;

    public string ReportPath { get; } = Path.Combine(Path.GetTempPath(), $"policy-engine-html-{Guid.NewGuid():N}", "typical-gaps.html");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"Chromium is not installed at {ExecutablePath}: run .ci/run (it installs Debian's chromium package) or 'apt-get install -y chromium', or set PE_CHROMIUM.");
        Directory.CreateDirectory(Path.GetDirectoryName(ReportPath)!);
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "html", "--fail-on", "none", "--output", ReportPath);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root (CI, containers) cannot use Chromium's sandbox; the page is our own report.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--font-render-hinting=none"],
            DefaultViewport = new ViewPortOptions { Width = 1280, Height = 900 },
            // A loaded machine may start a browser slowly: wait as long as it takes rather than fail on speed.
            Timeout = 0,
            ProtocolTimeout = 0,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser.Dispose();
        }

        Directory.Delete(Path.GetDirectoryName(ReportPath)!, recursive: true);
    }
}

/// <summary>The HTML report in a real browser: no fetch, a working filter and sort, print layout, a screenshot.</summary>
public sealed class HtmlBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string VisibleRows = "document.querySelectorAll('tr.finding:not([hidden])').length";

    private async Task<(IPage Page, List<string> Requests, List<string> Errors)> OpenAsync()
    {
        var page = await chromium.Browser.NewPageAsync();
        page.DefaultTimeout = 0;
        page.DefaultNavigationTimeout = 0;
        var url = new Uri(chromium.ReportPath).AbsoluteUri;
        var requests = new List<string>();
        var errors = new List<string>();
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            if (e.Request.Url == url)
            {
                await e.Request.ContinueAsync();
            }
            else
            {
                lock (requests)
                {
                    requests.Add(e.Request.Url);
                }

                await e.Request.AbortAsync();
            }
        };
        page.PageError += (_, e) => errors.Add(e.Message);
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add(e.Message.Text);
            }
        };
        await page.GoToAsync(url, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 0 });
        return (page, requests, errors);
    }

    /// <summary>The findings of the sample's JSON report: exactly the rows the page lists.</summary>
    private static List<JsonElement> JsonFindings()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--fail-on", "none");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone()).ToList();
    }

    [Fact]
    public async Task The_page_loads_with_no_fetch_and_no_script_error_and_lists_every_finding_of_the_json_report()
    {
        var (page, requests, errors) = await OpenAsync();
        await using var _ = page;
        Assert.Empty(requests);
        Assert.Empty(errors);
        var expected = JsonFindings().Count;
        Assert.Equal(expected, await page.EvaluateExpressionAsync<int>(VisibleRows));
        Assert.Equal($"{expected} of {expected} findings shown", await page.EvaluateExpressionAsync<string>("document.getElementById('shown').textContent"));
        // Three charts, each an inline SVG with one bar group per service, account or OU.
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#charts svg.chart').length"));
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#chart-ou svg g').length") >= 2);
    }

    [Fact]
    public async Task Typing_in_the_filter_shows_only_the_matching_rows_and_hides_empty_rule_groups()
    {
        var (page, _, errors) = await OpenAsync();
        await using var __ = page;
        var findings = JsonFindings();
        // A rule id names its findings' rows (the rule group's id, or the Rule column of the side sections).
        var rule = findings.GroupBy(f => f.GetProperty("ruleId").GetString()!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        Assert.True(rule.Count() > 1);
        Assert.DoesNotContain(findings.Select(f => f.GetProperty("ruleId").GetString()!), id => id != rule.Key && id.StartsWith(rule.Key, StringComparison.OrdinalIgnoreCase));

        await page.TypeAsync("#filter", rule.Key.ToLowerInvariant());
        Assert.Equal(rule.Count(), await page.EvaluateExpressionAsync<int>(VisibleRows));
        Assert.Equal($"{rule.Count()} of {findings.Count} findings shown", await page.EvaluateExpressionAsync<string>("document.getElementById('shown').textContent"));
        Assert.Equal(rule.Any(f => f.GetProperty("outcome").GetString() is "fail" or "error" && !f.TryGetProperty("suppression", out _)) ? 1 : 0,
            await page.EvaluateExpressionAsync<int>("document.querySelectorAll('section.rule:not([hidden])').length"));

        // Two terms narrow further: rule and account.
        var account = rule.First().GetProperty("subject").GetProperty("account").GetString()!;
        await page.TypeAsync("#filter", " " + account);
        Assert.Equal(rule.Count(f => f.GetProperty("subject").GetProperty("account").GetString() == account), await page.EvaluateExpressionAsync<int>(VisibleRows));

        await page.TypeAsync("#filter", " no-such-text-anywhere");
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>(VisibleRows));
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('section.rule:not([hidden])').length"));

        await page.EvaluateExpressionAsync("document.getElementById('filter').value = ''; document.getElementById('filter').dispatchEvent(new Event('input'))");
        Assert.Equal(findings.Count, await page.EvaluateExpressionAsync<int>(VisibleRows));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Clicking_a_header_sorts_its_table_and_a_second_click_reverses_it()
    {
        var (page, _, _) = await OpenAsync();
        await using var __ = page;
        // A rule's table lists its findings by account, then region: sorting by region reorders it.
        const string regions = "Array.from(document.querySelectorAll('#rule-SRA-EC2-01 tbody tr')).map(r => r.cells[4].textContent)";
        var before = await page.EvaluateExpressionAsync<string[]>(regions);
        Assert.True(before.Distinct().Count() > 1 && !before.SequenceEqual(before.Order(StringComparer.Ordinal)),
            "SRA-EC2-01 fails on the sample in several regions of several accounts");
        await page.ClickAsync("#rule-SRA-EC2-01 th:nth-child(5)");
        var ascending = await page.EvaluateExpressionAsync<string[]>(regions);
        Assert.Equal(before.Order(StringComparer.Ordinal), ascending);
        await page.ClickAsync("#rule-SRA-EC2-01 th:nth-child(5)");
        Assert.Equal(before.OrderDescending(StringComparer.Ordinal), await page.EvaluateExpressionAsync<string[]>(regions));
        Assert.Equal("descending", await page.EvaluateExpressionAsync<string>("document.querySelector('#rule-SRA-EC2-01 th:nth-child(5)').getAttribute('aria-sort')"));
    }

    [Fact]
    public async Task Printing_hides_the_filter_and_keeps_every_section()
    {
        var (page, _, _) = await OpenAsync();
        await using var __ = page;
        await page.EmulateMediaTypeAsync(MediaType.Print);
        Assert.Equal("none", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.querySelector('.filterbar')).display"));
        foreach (var section in new[] { "summary", "charts", "findings", "insufficient", "suppressed" })
        {
            Assert.True(await page.EvaluateExpressionAsync<bool>($"getComputedStyle(document.getElementById('{section}')).display !== 'none'"), section);
        }

        var pdf = await page.PdfDataAsync(new PdfOptions { Format = PaperFormat.A4, PrintBackground = true });
        Assert.True(pdf.AsSpan().StartsWith("%PDF"u8), "Chromium printed the page to PDF");
    }

    [Fact]
    public async Task A_screenshot_of_the_top_of_the_page_is_a_png_and_updates_the_docs_image_on_request()
    {
        var (page, _, _) = await OpenAsync();
        await using var __ = page;
        var png = await page.ScreenshotDataAsync(new ScreenshotOptions { Type = ScreenshotType.Png, FullPage = false });
        Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), "a PNG");
        Assert.True(png.Length > 20_000, $"the screenshot shows the page ({png.Length} bytes)");
        // The kept screenshot (docs/images/report-html.png) changes with fonts and browser versions, so it is not compared
        // byte for byte; UPDATE_DOCS=1 rewrites it.
        var docs = Path.Combine(CliRunner.RepoRoot, "docs", "images", "report-html.png");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            await File.WriteAllBytesAsync(docs, png);
        }

        Assert.True(File.Exists(docs), $"{docs} is missing: run the tests with UPDATE_DOCS=1");
    }
}
