using System.Diagnostics;
using System.Globalization;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Tests.Fakes;
using Xunit.Abstractions;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// The collection benchmark (bench/collect/run.sh). Runs only when PE_BENCH_ACCOUNTS is set; it measures and reports,
/// and asserts only that the run was complete — speed goals live in docs/benchmarks.md, never in tests.
/// </summary>
public sealed class CollectionBenchmark(ITestOutputHelper log)
{
    [Fact]
    public async Task CollectAgainstFakeEndpointWithLatency()
    {
        if (Environment.GetEnvironmentVariable("PE_BENCH_ACCOUNTS") is not { } accountsText)
        {
            return;
        }

        var accounts = int.Parse(accountsText, CultureInfo.InvariantCulture);
        ThreadPool.SetMinThreads(256, 256); // the in-process fake server must not be the bottleneck
        var concurrency = int.Parse(Environment.GetEnvironmentVariable("PE_BENCH_CONCURRENCY") ?? "64", CultureInfo.InvariantCulture);
        var latencyMs = int.Parse(Environment.GetEnvironmentVariable("PE_BENCH_LATENCY_MS") ?? "50", CultureInfo.InvariantCulture);
        string[] regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
        var org = FakeOrganization.Create(accounts, regions, latency: TimeSpan.FromMilliseconds(latencyMs));
        foreach (var a in org.Accounts)
        {
            a.EnabledRegions.Clear();
            a.EnabledRegions.AddRange(regions);
        }

        var plan = CollectionTestSupport.LoadPlan();
        using var server = new FakeAwsServer(org, plan);
        var dir = CollectionTestSupport.TempDir();
        try
        {
            // The collector runs with collect's own defaults (16 calls per service and caller), as a user runs it. With
            // PE_BENCH_CLI (the CLI's dll) it runs in its own process, so the fake's work does not share its CPU.
            var output = Path.Combine(dir, "bench.json.gz");
            var sw = Stopwatch.StartNew();
            CollectionResult? result = null;
            if (Environment.GetEnvironmentVariable("PE_BENCH_CLI") is { Length: > 0 } cli)
            {
                RunCli(cli, server, output, regions, concurrency);
            }
            else
            {
                var options = CollectionTestSupport.Options(server, output, regions, concurrency);
                options = new CollectOptions
                {
                    OutputPath = options.OutputPath, Regions = options.Regions, EndpointOverride = options.EndpointOverride, PlanDirectory = options.PlanDirectory,
                    Credentials = options.Credentials, Retry = options.Retry, MaxConcurrency = concurrency,
                };
                result = await new OrganizationCollector().CollectAsync(options, null, null, CancellationToken.None);
            }

            sw.Stop();
            using var snapshot = CollectionTestSupport.ReadSnapshot(output);
            var byStatus = snapshot.RootElement.GetProperty("coverage").GetProperty("byStatus");
            var (total, ok) = (byStatus.GetProperty("total").GetInt32(), byStatus.GetProperty("ok").GetInt32());
            var inFlight = server.BusyTime / sw.Elapsed;

            // The minimum the configured concurrency allows: the Organizations phase is a dependency barrier whose
            // longest chain is the sequential ListAccounts pages (20 accounts a page, plus one empty page); everything
            // after it can overlap, bounded by the overall concurrency.
            var orgCalls = server.RequestsByService("organizations") + 1; // + the initial GetCallerIdentity
            var listAccountsPages = (int)Math.Ceiling(org.Accounts.Count / 20.0) + 1;
            var afterOrg = server.Requests - orgCalls;
            var latency = TimeSpan.FromMilliseconds(latencyMs);
            var orgCritical = latency * Math.Max(listAccountsPages + 1, Math.Ceiling(orgCalls / 4.0));
            var minimum = orgCritical + (latency * afterOrg / concurrency);
            var ratio = sw.Elapsed / minimum;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"BENCH accounts={accounts} regions={regions.Length} concurrency={concurrency} latency={latencyMs}ms calls={server.Requests} records={total} ok={ok} elapsed={sw.Elapsed.TotalSeconds:F2}s minimum={minimum.TotalSeconds:F2}s ratio={ratio:F3} inFlight={inFlight:F1} process={(result is null ? "separate" : "same")}"));
            if (Environment.GetEnvironmentVariable("PE_BENCH_OUT") is { } outFile)
            {
                File.WriteAllText(outFile, string.Create(CultureInfo.InvariantCulture,
                    $"accounts={accounts} regions={regions.Length} concurrency={concurrency} latency={latencyMs}ms calls={server.Requests} records={total} elapsed={sw.Elapsed.TotalSeconds:F2}s minimum={minimum.TotalSeconds:F2}s ratio={ratio:F3} inFlight={inFlight:F1} process={(result is null ? "separate" : "same")}\n"));
            }

            Assert.Equal(total, ok);
            Assert.Equal(0, server.SignatureFailures);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static void RunCli(string cli, FakeAwsServer server, string output, string[] regions, int concurrency)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
                 {
                     cli, "collect", "--output", output, "--regions", string.Join(',', regions), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
                     "--credentials-from-env", "--endpoint-url", server.BaseUri.ToString(), "--collectors", CollectionTestSupport.PlanDirectory,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = FakeOrganization.BaseAccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = FakeOrganization.BaseSecretKey;
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
    }
}
