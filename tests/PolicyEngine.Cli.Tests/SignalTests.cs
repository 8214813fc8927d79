using System.Diagnostics;
using System.Text;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// Issue 15, defect 13: a run stopped by SIGINT (Ctrl+C) or SIGTERM says so with PE3108, exits 130 or 143 and leaves
/// no temporary file. The CLI runs as a child process and pauses where the test wants it (POLICY_ENGINE_TEST_PAUSE
/// makes it create a marker file there and wait for the signal), so the signal arrives at a known point.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("signal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ctrl_c_during_evaluation_ends_with_PE3108_and_exit_130_and_writes_nothing()
    {
        var result = RunUntilPausedThenSignal("evaluate", "INT");

        Assert.Equal(130, result.ExitCode);
        Assert.Equal(
            "error PE3108: cancelled by a signal (Ctrl+C or SIGTERM) while evaluating; no report file was written or replaced. Run the command again for a report.\n",
            result.StandardError);
        Assert.Equal(["paused", "report.json"], Files());
        Assert.Equal("earlier report", File.ReadAllText(Path.Combine(_directory, "report.json")));
    }

    [Fact]
    public void Sigterm_while_the_report_is_written_deletes_the_temporary_file_and_exits_143()
    {
        var result = RunUntilPausedThenSignal("write", "TERM");

        Assert.Equal(143, result.ExitCode);
        Assert.Equal(
            "error PE3108: cancelled by a signal (Ctrl+C or SIGTERM) while writing the reports; no report file was written or replaced. Run the command again for a report.\n",
            result.StandardError);
        Assert.Equal(["paused", "report.json"], Files());
        Assert.Equal("earlier report", File.ReadAllText(Path.Combine(_directory, "report.json")));
    }

    private string[] Files() => [.. Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private (int ExitCode, string StandardError) RunUntilPausedThenSignal(string stage, string signal)
    {
        var marker = Path.Combine(_directory, "paused");
        File.WriteAllText(Path.Combine(_directory, "report.json"), "earlier report");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = CliRunner.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "policy-engine.dll"), "evaluate", CliRunner.Sample("typical-gaps"),
                     "--format", "json", "--output", Path.Combine(_directory, "report.json")])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["POLICY_ENGINE_TEST_PAUSE"] = $"{stage}:{marker}";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        try
        {
            // Waits for the marker, not for a time: the run creates it where it pauses. The deadline only ends a
            // run that never gets there (it then fails with what it printed).
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(marker))
            {
                if (process.WaitForExit(20) || deadline.Elapsed > TimeSpan.FromMinutes(3))
                {
                    Assert.Fail($"the CLI did not pause at '{stage}' (exited: {process.HasExited}): {standardError.Result}");
                }
            }

            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
            {
                kill.WaitForExit();
                Assert.Equal(0, kill.ExitCode);
            }

            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the CLI did not stop after the signal");
            process.WaitForExit();
            _ = standardOutput.Result;
            return (process.ExitCode, standardError.Result);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
