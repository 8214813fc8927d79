using PolicyEngine.Core.Files;

namespace PolicyEngine.Core.Tests.Files;

/// <summary>Issue 15, defect 13: temporary files of an atomic write never outlive the run that made them.</summary>
public sealed class AtomicFileTests : IDisposable
{
    // A process id above Linux's pid_max (2^22) and Windows' range in practice: never a running process.
    private const int GoneProcess = int.MaxValue;

    private readonly string _directory = Directory.CreateTempSubdirectory("atomic-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_write_removes_the_temporary_files_of_a_killed_run_and_keeps_what_a_concurrent_run_is_writing()
    {
        Assert.NotEqual(1, Environment.ProcessId);
        var killed = Temporary("report.json", GoneProcess);
        var otherTarget = Temporary("report.sarif", GoneProcess);
        var ownIdOfAnEarlierRun = Temporary("report.json", Environment.ProcessId);
        var running = Temporary("report.json", 1);
        var runningButAncient = Temporary("report.json", 1);
        File.SetLastWriteTimeUtc(runningButAncient, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromMinutes(1));
        var beingWritten = Temporary("report.json", GoneProcess);
        var notOurs = Path.Combine(_directory, ".report.json.tmp");
        File.WriteAllText(notOurs, "x");

        // A writer in another pid namespace (a container sharing the volume) may look gone; it holds its file locked.
        using (new FileStream(beingWritten, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            AtomicFile.Write(Path.Combine(_directory, "report.json"), stream => stream.WriteByte((byte)'{'));
        }

        Assert.Equal(
            new[] { ".report.json.tmp", Path.GetFileName(beingWritten), Path.GetFileName(running), "report.json" }.Order(StringComparer.Ordinal),
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(killed));
        Assert.False(File.Exists(otherTarget));
        Assert.False(File.Exists(ownIdOfAnEarlierRun));
        Assert.False(File.Exists(runningButAncient));
    }

    [Fact]
    public void A_cancelled_write_deletes_its_temporary_file_and_leaves_the_target_as_it_was()
    {
        var target = Path.Combine(_directory, "report.json");
        File.WriteAllText(target, "old");
        using var cancellation = new CancellationTokenSource();

        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(
            target,
            stream =>
            {
                stream.Write("new"u8);
                cancellation.Cancel();
                stream.Write("er"u8);
            },
            cancellation.Token));

        Assert.Equal(["report.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(target));
    }

    [Fact]
    public void DeleteInFlight_deletes_the_temporary_file_of_a_write_under_way()
    {
        var target = Path.Combine(_directory, "report.json");
        string[] during = [];
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write("partial"u8);
            during = Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray()!;
            AtomicFile.DeleteInFlight();
        }));

        Assert.Matches(@"^\.report\.json\.[0-9]+\.[0-9a-f]{32}\.tmp$", Assert.Single(during));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    private string Temporary(string target, int processId)
    {
        var path = Path.Combine(_directory, AtomicFile.TemporaryName(target, processId));
        File.WriteAllText(path, "partial");
        return path;
    }
}
