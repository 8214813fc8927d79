using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Snapshots;

public class SnapshotLoaderTests
{
    internal const string Small = """
        {
          "formatVersion": "1.0",
          "metadata": { "collectedAt": "2026-11-30T12:00:00Z" },
          "organization": {
            "organization": { "Id": "o-abc" },
            "accounts": [
              { "Id": "111111111111", "Name": "Management", "State": "ACTIVE", "OuPath": "Root" },
              { "Id": "222222222222", "Name": "Old", "Status": "SUSPENDED", "OuPath": "Root/Old" }
            ]
          },
          "roles": { "management": [ { "accountId": "111111111111", "source": "configured" } ] },
          "regions": { "governed": [ "us-east-1", "eu-west-1" ] },
          "evidence": [
            { "service": "guardduty", "operation": "ListDetectors", "account": "111111111111", "region": "us-east-1", "status": "ok", "response": {} },
            { "service": "guardduty", "operation": "ListDetectors", "account": "111111111111", "region": "eu-west-1", "status": "error", "error": { "code": "AccessDenied", "message": "no" } },
            { "service": "guardduty", "operation": "GetDetector", "account": "111111111111", "region": "us-east-1", "status": "notCollected", "parameters": { "DetectorId": "d1", "A": 1 } }
          ],
          "resources": [ { "resourceType": "AWS::S3::Bucket", "resourceId": "b1", "awsAccountId": "111111111111", "awsRegion": "us-east-1", "ARN": "arn:aws:s3:::b1" } ]
        }
        """;

    [Fact]
    public void Repeated_services_operations_accounts_regions_and_resource_types_are_one_string_each()
    {
        // A large organization repeats these values in every record: the index holds each once, not once per record.
        using var snapshot = Snapshot(Small);
        var records = snapshot.Evidence;
        Assert.Same(records[0].Key.Service, records[1].Key.Service);
        Assert.Same(records[0].Key.Service, records[2].Key.Service);
        Assert.Same(records[0].Key.Operation, records[1].Key.Operation);
        Assert.Same(records[0].Key.Account, records[2].Key.Account);
        Assert.Same(records[0].Key.Region, records[2].Key.Region);
        Assert.Same(records[0].Key.Account, snapshot.Resources[0].Account);
        Assert.Same(records[0].Key.Region, snapshot.Resources[0].Region);
        Assert.Equal(["us-east-1", "eu-west-1", "us-east-1"], records.Select(r => r.Key.Region));
    }

    [Fact]
    public void Indexes_accounts_roles_regions_evidence_and_resources()
    {
        using var snapshot = Snapshot(Small);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), snapshot.CollectedAt);
        Assert.Equal(
            [("111111111111", "Management", "ACTIVE", "Root", "management", true), ("222222222222", "Old", "SUSPENDED", "Root/Old", "", false)],
            snapshot.Accounts!.Select(a => (a.Id, a.Name, a.State, a.OuPath, string.Join(",", a.Roles), a.IsActive)));
        Assert.Equal("$['organization']['accounts'][1]", snapshot.FindAccount("222222222222")!.Path.ToString());
        Assert.Equal(["us-east-1", "eu-west-1"], snapshot.GovernedRegions);
        Assert.Equal(["111111111111"], snapshot.RoleAccounts["management"]);
        Assert.Equal(3, snapshot.Evidence.Count);
        Assert.Equal(2, snapshot.EvidenceFor("guardduty", "ListDetectors").Count);
        Assert.Empty(snapshot.EvidenceFor("guardduty", "Nope"));
        var resource = Assert.Single(snapshot.ResourcesOfType("AWS::S3::Bucket"));
        Assert.Equal(("b1", "arn:aws:s3:::b1", "111111111111", "us-east-1", "$['resources'][0]"),
            (resource.Id, resource.Arn, resource.Account, resource.Region, resource.Path.ToString()));
        Assert.Empty(snapshot.ResourcesOfType("AWS::EC2::VPC"));
    }

    [Fact]
    public void A_configuration_item_is_read_whatever_the_order_and_escaping_of_its_members()
    {
        // AWS writes the members in its own order; JSON lets any name be escaped, and an item need have no ARN.
        const string json = """
            {
              "formatVersion": "1.0",
              "resources": [
                { "awsRegion": "eu-west-1", "ARN": "arn:aws:s3:::b2", "configuration": { "resourceType": "nested" }, "resourceId": "b2", "awsAccountId": "222222222222", "resourceType": "AWS::S3::Bucket" },
                { "resource\u0054ype": "AWS::S3::Bucket", "resourceI\u0064": "b3", "aws\u0052egion": "us-east-1", "awsAccountId": "333333333333", "A\u0052N": "arn:aws:s3:::b3" },
                { "resourceType": "AWS::S3::Bucket", "resourceId": "b4", "awsAccountId": "444444444444" }
              ]
            }
            """;
        using var snapshot = Snapshot(json);

        Assert.Equal(
            [
                ("b2", "arn:aws:s3:::b2", "222222222222", "eu-west-1", "$['resources'][0]"),
                ("b3", "arn:aws:s3:::b3", "333333333333", "us-east-1", "$['resources'][1]"),
                ("b4", null, "444444444444", "", "$['resources'][2]"),
            ],
            snapshot.ResourcesOfType("AWS::S3::Bucket").Select(r => (r.Id, r.Arn, r.Account, r.Region, r.Path.ToString())));
    }

    [Fact]
    public void Missing_evidence_is_distinguished_from_present_but_empty()
    {
        using var snapshot = Snapshot(Small);
        var present = snapshot.FindEvidence(new EvidenceKey("guardduty", "ListDetectors", "111111111111", "us-east-1", string.Empty));
        Assert.Equal(EvidenceStatus.Ok, present.Status);
        Assert.Equal("{}", present.Response!.Value.GetRawText());
        Assert.Equal("$['evidence'][0]['response']", present.ResponsePath.ToString());
        Assert.Equal("guardduty:ListDetectors @ 111111111111/us-east-1 was collected", present.Describe());

        var missing = snapshot.FindEvidence(new EvidenceKey("guardduty", "ListDetectors", "111111111111", "ap-south-1", string.Empty));
        Assert.Equal(EvidenceStatus.Missing, missing.Status);
        Assert.Null(missing.Response);
        Assert.Equal("guardduty:ListDetectors @ 111111111111/ap-south-1 is not in the snapshot", missing.Describe());

        var error = snapshot.FindEvidence(new EvidenceKey("guardduty", "ListDetectors", "111111111111", "eu-west-1", string.Empty));
        Assert.Equal((EvidenceStatus.Error, "AccessDenied", "no"), (error.Status, error.ErrorCode, error.ErrorMessage));
        Assert.Equal("guardduty:ListDetectors @ 111111111111/eu-west-1 failed with AccessDenied: no", error.Describe());

        // Parameters are canonical: sorted by name; non-string values keep their JSON text.
        var notCollected = snapshot.FindEvidence(new EvidenceKey("guardduty", "GetDetector", "111111111111", "us-east-1", "A=1&DetectorId=d1"));
        Assert.Equal(EvidenceStatus.NotCollected, notCollected.Status);
        Assert.Equal("guardduty:GetDetector @ 111111111111/us-east-1 {A=1&DetectorId=d1} was not collected (no reason given)", notCollected.Describe());
    }

    [Fact]
    public void Loads_gzip_files_and_plain_files_alike()
    {
        var directory = TempDirectory();
        try
        {
            var (plain, gzip) = WriteSmallPlainAndGzip(directory);

            var diagnostics = new List<Diagnostic>();
            using var a = SnapshotLoader.LoadFile(plain, diagnostics);
            using var b = SnapshotLoader.LoadFile(gzip, diagnostics);
            Assert.Empty(diagnostics);
            Assert.Equal(gzip, b!.File);
            Assert.Equal(a!.Utf8.ToArray(), b.Utf8.ToArray());
            Assert.Equal(a.Evidence.Count, b.Evidence.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Writes <see cref="Small"/> as s.json and, compressed, as s.json.gz.</summary>
    private static (string Plain, string Gzip) WriteSmallPlainAndGzip(string directory)
    {
        var plain = Path.Combine(directory, "s.json");
        var gzip = Path.Combine(directory, "s.json.gz");
        File.WriteAllText(plain, Small);
        using var stream = File.Create(gzip);
        using var compressor = new GZipStream(stream, CompressionLevel.Fastest);
        compressor.Write(Encoding.UTF8.GetBytes(Small));
        return (plain, gzip);
    }

    [Fact]
    public void A_plain_file_is_mapped_and_a_gzip_file_is_read_and_decompressed()
    {
        var directory = TempDirectory();
        try
        {
            var (plain, gzip) = WriteSmallPlainAndGzip(directory);

            var diagnostics = new List<Diagnostic>();
            using var mapped = SnapshotLoader.OpenFile(plain, diagnostics, SnapshotLoader.DefaultMaxBytes);
            using var read = SnapshotLoader.OpenFile(gzip, diagnostics, SnapshotLoader.DefaultMaxBytes);

            Assert.Empty(diagnostics);
            Assert.Equal(!OperatingSystem.IsWindows(), mapped!.IsMapped);
            Assert.False(read!.IsMapped);
            Assert.Equal(Encoding.UTF8.GetBytes(Small), mapped.Utf8.ToArray());
            Assert.Equal(Encoding.UTF8.GetBytes(Small), read.Utf8.ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_loaded_snapshot_keeps_its_bytes_when_a_new_file_is_renamed_over_it()
    {
        // What collect, import and merge do to a snapshot that is being evaluated: write a new file, rename it over.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = TempDirectory();
        try
        {
            var path = Path.Combine(directory, "s.json");
            File.WriteAllText(path, Small);
            var diagnostics = new List<Diagnostic>();
            using var snapshot = SnapshotLoader.LoadFile(path, diagnostics);
            var replacement = Path.Combine(directory, "new.json");
            File.WriteAllText(replacement, Small.Replace("111111111111", "222222222222", StringComparison.Ordinal));
            File.Move(replacement, path, overwrite: true);

            Assert.Empty(diagnostics);
            Assert.Equal(Encoding.UTF8.GetBytes(Small), snapshot!.Utf8.ToArray());
            Assert.Contains("222222222222", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_bytes_of_a_disposed_snapshot_cannot_be_read()
    {
        // Mapped, they are gone with the snapshot: reading them must be an exception, never a read of unmapped memory.
        var directory = TempDirectory();
        try
        {
            var path = Path.Combine(directory, "s.json");
            File.WriteAllText(path, Small);
            var diagnostics = new List<Diagnostic>();
            var snapshot = SnapshotLoader.LoadFile(path, diagnostics)!;
            var bytes = snapshot.Utf8;
            Assert.Equal((byte)'{', bytes.Span[0]);

            snapshot.Dispose();

            if (!OperatingSystem.IsWindows())
            {
                Assert.Throws<ObjectDisposedException>(() => bytes.Span[0]);
            }

            Assert.Throws<ObjectDisposedException>(() => snapshot.Root.ValueKind);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Bytes_that_load_no_snapshot_are_released_and_the_file_can_be_deleted()
    {
        var directory = TempDirectory();
        try
        {
            var path = Path.Combine(directory, "broken.json");
            File.WriteAllText(path, "{\"formatVersion\": \"1.0\", ");
            var diagnostics = new List<Diagnostic>();
            var bytes = SnapshotLoader.OpenFile(path, diagnostics, SnapshotLoader.DefaultMaxBytes);

            Assert.Null(SnapshotLoader.Load(bytes!, path, diagnostics));
            Assert.False(bytes!.IsMapped);
            Assert.Equal("PE4001", Assert.Single(diagnostics).Code);
            File.Delete(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Gzip_that_expands_past_the_cap_is_refused_without_reading_it_all()
    {
        var directory = TempDirectory();
        try
        {
            var bomb = Path.Combine(directory, "bomb.json.gz");
            using (var file = File.Create(bomb))
            using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            {
                gzip.Write(Encoding.UTF8.GetBytes("{\"formatVersion\": \"1.0\", \"pad\": \""));
                gzip.Write(Enumerable.Repeat((byte)'a', 4_000_000).ToArray());
                gzip.Write(Encoding.UTF8.GetBytes("\"}"));
            }

            Assert.True(new FileInfo(bomb).Length < 100_000);
            var diagnostics = new List<Diagnostic>();
            Assert.Null(SnapshotLoader.LoadFile(bomb, diagnostics, maxBytes: 1_000_000));
            Assert.Equal([$"{bomb}: error PE4004: Cannot read the snapshot: the file decompresses to more than 1,000,000 bytes, the most a snapshot may hold."], diagnostics.Select(d => d.ToString()));

            var plain = Path.Combine(directory, "big.json");
            File.WriteAllText(plain, "{\"formatVersion\": \"1.0\", \"pad\": \"" + new string('a', 2_000_000) + "\"}");
            diagnostics.Clear();
            Assert.Null(SnapshotLoader.LoadFile(plain, diagnostics, maxBytes: 1_000_000));
            Assert.Equal([$"{plain}: error PE4004: Cannot read the snapshot: the file is larger than 1,000,000 bytes, the most a snapshot may hold."], diagnostics.Select(d => d.ToString()));
            diagnostics.Clear();
            using var loaded = SnapshotLoader.LoadFile(plain, diagnostics, maxBytes: 3_000_000);
            Assert.NotNull(loaded);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [Fact]
    public void Devices_pipes_and_directories_are_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var directory = TempDirectory();
        try
        {
            var zero = Path.Combine(directory, "zero.json");
            File.CreateSymbolicLink(zero, "/dev/zero");
            var fifo = Path.Combine(directory, "fifo.json");
            Assert.Equal(0, MakeFifo(fifo, Convert.ToUInt32("600", 8)));
            var empty = Path.Combine(directory, "empty.json");
            File.WriteAllBytes(empty, []);
            foreach (var path in new[] { zero, fifo, empty })
            {
                var diagnostics = new List<Diagnostic>();
                Assert.Null(SnapshotLoader.LoadFile(path, diagnostics));
                Assert.Equal(
                    [$"{path}: error PE4004: Cannot read the snapshot: the file is empty, or is not a regular file (a device, a pipe or a socket). Give the path of a snapshot file (.json or .json.gz)."],
                    diagnostics.Select(d => d.ToString()));
            }

            var errors = new List<Diagnostic>();
            Assert.Null(SnapshotLoader.LoadFile(directory, errors));
            Assert.Equal(
                [$"{directory}: error PE4004: Cannot read the snapshot: the path is a directory. Give the path of a snapshot file (.json or .json.gz)."],
                errors.Select(d => d.ToString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_huge_format_version_is_quoted_by_a_short_prefix()
    {
        var version = "9" + new string('x', 200_000);
        Assert.Equal(
            [$"snap.json:1:19: error PE4002: Snapshot format version '9{new string('x', 63)}... (200,001 characters)' is not supported; this engine reads version 1.x. (at $['formatVersion'])"],
            LoadErrors("{\"formatVersion\": \"" + version + "\"}"));
    }

    [Fact]
    [Covers(DiagnosticCodes.SnapshotUnreadable)]
    public void Unreadable_and_corrupt_gzip_files()
    {
        var directory = TempDirectory();
        try
        {
            var missing = Path.Combine(directory, "missing.json");
            var diagnostics = new List<Diagnostic>();
            Assert.Null(SnapshotLoader.LoadFile(missing, diagnostics));
            var d = Assert.Single(diagnostics);
            Assert.Equal((DiagnosticCodes.SnapshotUnreadable, DiagnosticSeverity.Error, new SourceLocation(missing, 0, 0)), (d.Code, d.Severity, d.Location));
            Assert.StartsWith("Cannot read the snapshot: Could not find file", d.Message, StringComparison.Ordinal);

            var corrupt = Path.Combine(directory, "corrupt.json.gz");
            // A gzip header followed by a deflate block of the reserved type 11.
            File.WriteAllBytes(corrupt, [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x07, 0x00]);
            diagnostics.Clear();
            Assert.Null(SnapshotLoader.LoadFile(corrupt, diagnostics));
            Assert.Equal($"{corrupt}: error PE4004: Cannot read the snapshot: ", Assert.Single(diagnostics).ToString()[..($"{corrupt}: error PE4004: Cannot read the snapshot: ".Length)]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [Covers(DiagnosticCodes.SnapshotInvalidText)]
    public void Invalid_utf8_in_an_account_name_is_refused_at_its_string()
    {
        var prefix = Encoding.UTF8.GetBytes("{\n  \"formatVersion\": \"1.0\",\n  \"organization\": { \"accounts\": [ { \"Id\": \"111111111111\", \"Name\": \"Caf");
        byte[] latin1 = [0xE9];
        var suffix = Encoding.UTF8.GetBytes("\" } ] }\n}");
        var diagnostics = new List<Diagnostic>();
        Assert.Null(SnapshotLoader.Load(prefix.Concat(latin1).Concat(suffix).ToArray(), "snap.json", diagnostics));
        Assert.Equal(
            ["snap.json:3:67: error PE4025: The snapshot holds a string with bytes that are not UTF-8; a snapshot is UTF-8 text and no reporter could write that string. Fix the file or collect it again."],
            diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Invalid_utf8_in_a_member_name_of_a_file_that_is_not_json_is_a_syntax_error_not_a_crash()
    {
        // Found by fuzzing (fuzz/run.sh snapshot): the search for a repeated member name decoded every name and threw
        // InvalidOperationException on one that is not UTF-8.
        var prefix = Encoding.UTF8.GetBytes("{\n  \"formatVersion\": \"1.0\",\n  \"Caf");
        byte[] latin1 = [0xE9];
        var suffix = Encoding.UTF8.GetBytes("\": [1,],\n  \"Caf\": 2\n}");
        var diagnostics = new List<Diagnostic>();
        Assert.Null(SnapshotLoader.Load(prefix.Concat(latin1).Concat(suffix).ToArray(), "snap.json", diagnostics));
        Assert.Equal(
            ["snap.json:3:14: error PE4001: The snapshot is not valid JSON: The JSON array contains a trailing comma at the end which is not supported in this mode. Change the reader options. Fix the file or collect it again."],
            diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("\\ud800", "3:43")]
    [InlineData("x\\udc00y", "3:43")]
    [InlineData("\\ud83d", "3:43")]
    public void Lone_surrogate_escape_in_an_account_id_is_refused_at_its_string(string id, string location)
    {
        var json = "{\n  \"formatVersion\": \"1.0\",\n  \"organization\": { \"accounts\": [ { \"Id\": \"" + id + "\" } ] }\n}";
        Assert.Equal(
            [$"snap.json:{location}: error PE4025: The snapshot holds a string with an escaped surrogate ('\\uD800'-'\\uDFFF') without its pair; a snapshot is UTF-8 text and no reporter could write that string. Fix the file or collect it again."],
            LoadErrors(json));
    }

    [Fact]
    public void Escaped_surrogate_pair_is_valid_text()
    {
        using var snapshot = Snapshot("{\"formatVersion\": \"1.0\", \"organization\": { \"accounts\": [ { \"Id\": \"1\", \"Name\": \"\\ud83d\\ude00\" } ] } }");
        Assert.Equal("\U0001F600", snapshot.Accounts![0].Name);
    }

    [Theory]
    [Covers(DiagnosticCodes.SnapshotSyntax)]
    [InlineData("{\n  \"formatVersion\": \"1.0\",\n  \"x\": [1, 2,]\n}", "snap.json:3:14",
        "The JSON array contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    [InlineData("{\r\n  \"formatVersion\": \"1.0\",\r\n  \"x\": [1,]\r\n}", "snap.json:3:11",
        "The JSON array contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    [InlineData("{\n  \"formatVersion\": \"1.0\", \"name\": \"ééé日本\", ]\n}", "snap.json:2:44",
        "']' is an invalid start of a property name. Expected a '\"'.")]
    [InlineData("{\"a\":\"\U0001F600\", ]", "snap.json:1:12", "']' is an invalid start of a property name. Expected a '\"'.")]
    [InlineData("{\n  \"formatVersion\": \"1.0\",\n  \"evidence\": [],\n  \"evidence\": []\n}", "snap.json:4:3", "member \"evidence\" appears twice in the same object, so which one applies is undefined.")]
    public void Invalid_json_is_reported_at_its_line_and_utf16_column(string json, string location, string reason)
    {
        Assert.Equal([$"{location}: error PE4001: The snapshot is not valid JSON: {reason} Fix the file or collect it again."], LoadErrors(json));
    }

    [Fact]
    [Covers(DiagnosticCodes.SnapshotVersion)]
    public void Format_version_missing_or_unsupported()
    {
        Assert.Equal(
            ["snap.json:1:1: error PE4002: The snapshot has no \"formatVersion\" string. Add \"formatVersion\": \"1.0\" or collect the snapshot again. (at $)"],
            LoadErrors("{ \"a\": 1 }"));
        Assert.Equal(
            ["snap.json:2:20: error PE4002: Snapshot format version '2.0' is not supported; this engine reads version 1.x. (at $['formatVersion'])"],
            LoadErrors("{\n  \"formatVersion\": \"2.0\"\n}"));
    }

    [Fact]
    [Covers(DiagnosticCodes.SnapshotShape)]
    public void Shape_errors_are_located_by_path()
    {
        const string json = """
            {
              "formatVersion": "1.0",
              "metadata": { "collectedAt": "yesterday" },
              "roles": { "auditor": [], "management": {} },
              "organization": { "accounts": [ { "Name": "x" } ] },
              "regions": { "governed": [ "us-east-1", 5 ] },
              "evidence": [
                7,
                { "service": "s3" },
                { "service": "s3", "operation": "ListBuckets", "account": "1", "region": "global", "status": "ok" },
                { "service": "s3", "operation": "ListBuckets", "account": "1", "region": "global", "status": "error" },
                { "service": "s3", "operation": "ListBuckets", "account": "1", "region": "global", "status": "maybe" },
                { "service": "s3", "operation": "ListBuckets", "account": "1", "region": "global", "status": "ok", "parameters": [] }
              ],
              "resources": [ { "resourceType": "AWS::S3::Bucket" } ]
            }
            """;
        Assert.Equal(
            [
                "snap.json:3:32: error PE4003: \"collectedAt\" must be an ISO 8601 date-time string such as \"2026-11-30T12:00:00Z\". (at $['metadata']['collectedAt'])",
                "snap.json:4:25: error PE4003: Unknown SRA role 'auditor'; the roles are management, securityTooling, logArchive, network, sharedServices. (at $['roles']['auditor'])",
                "snap.json:4:43: error PE4003: A role holds an array of assignments, but this is an object. (at $['roles']['management'])",
                "snap.json:5:35: error PE4003: An account is an object with at least an \"Id\" string. (at $['organization']['accounts'][0])",
                "snap.json:6:43: error PE4003: Expected a string, found a number. (at $['regions']['governed'][1])",
                "snap.json:8:5: error PE4003: An evidence record is an object, but this is a number. (at $['evidence'][0])",
                "snap.json:9:5: error PE4003: This evidence record lacks the string field(s) \"operation\", \"account\", \"region\", \"status\". (at $['evidence'][1])",
                "snap.json:10:5: error PE4003: An evidence record with status \"ok\" must carry the \"response\" AWS returned (use {} for an empty one). (at $['evidence'][2])",
                "snap.json:11:5: error PE4003: An evidence record with status \"error\" must carry \"error\": {\"code\": ..., \"message\": ...}. (at $['evidence'][3])",
                "snap.json:12:98: error PE4003: Evidence status 'maybe' is not one of ok, error, notCollected. (at $['evidence'][4]['status'])",
                "snap.json:13:118: error PE4003: \"parameters\" must be an object. (at $['evidence'][5]['parameters'])",
                "snap.json:15:18: error PE4003: A resource is an AWS Config configuration item (delivery dialect) with at least \"resourceType\" and \"resourceId\". (at $['resources'][0])",
            ],
            LoadErrors(json));
        Assert.Equal(["snap.json:1:1: error PE4003: A snapshot is a JSON object, but this file holds an array. (at $)"], LoadErrors("[1]"));
        Assert.Equal(
            ["snap.json:3:16: error PE4003: \"resources\" must be an array, but it is an object. (at $['resources'])"],
            LoadErrors("{\n  \"formatVersion\": \"1.0\",\n  \"resources\": {}\n}"));
    }

    [Fact]
    public void Problems_in_many_records_are_reported_in_file_order_and_the_first_of_two_equal_keys_is_kept()
    {
        // 10,000 records, one per line, are read in parallel chunks: the problems must still come out in file order,
        // and of two equal keys the later one (in a later chunk than the first) is the duplicate.
        var records = Enumerable.Range(0, 10_000).Select(i => i switch
        {
            3 => "42",
            6_000 => """{ "service": "s3", "operation": "ListBuckets", "account": "1", "region": "r5", "status": "ok", "response": {} }""",
            9_000 => """{ "service": "s3", "operation": "ListBuckets", "account": "1", "region": "r9000" }""",
            _ => $$"""{ "service": "s3", "operation": "ListBuckets", "account": "1", "region": "r{{i}}", "status": "ok", "response": {} }""",
        });
        var json = "{\n\"formatVersion\": \"1.0\",\n\"evidence\": [\n" + string.Join(",\n", records) + "\n]\n}\n";
        Assert.Equal(
            [
                "snap.json:7:1: error PE4003: An evidence record is an object, but this is a number. (at $['evidence'][3])",
                "snap.json:6004:1: error PE4005: Evidence s3:ListBuckets @ 1/r5 appears more than once; a snapshot holds one record per call. Remove the duplicate. (at $['evidence'][6000])",
                "snap.json:9004:1: error PE4003: This evidence record lacks the string field(s) \"status\". (at $['evidence'][9000])",
            ],
            LoadErrors(json));
    }

    [Fact]
    [Covers(DiagnosticCodes.SnapshotDuplicateEvidence)]
    public void Duplicate_evidence_points_at_the_second_record()
    {
        Assert.Equal(
            ["snap.json:5:5: error PE4005: Evidence s3:ListBuckets @ 1/global appears more than once; a snapshot holds one record per call. Remove the duplicate. (at $['evidence'][1])"],
            LoadErrors("""
                {
                  "formatVersion": "1.0",
                  "evidence": [
                    { "service": "s3", "operation": "ListBuckets", "account": "1", "region": "global", "status": "ok", "response": {} },
                    { "service": "s3", "operation": "ListBuckets", "account": "1", "region": "global", "status": "notCollected" }
                  ]
                }
                """));
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"formatVersion\":\"1.5\"}")).ToArray();
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(bytes, "bom.json", diagnostics);
        Assert.Empty(diagnostics);
        Assert.Null(snapshot!.Accounts);
        Assert.Null(snapshot.GovernedRegions);
        Assert.Null(snapshot.CollectedAt);
    }
}
