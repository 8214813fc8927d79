using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Text;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// Loads a snapshot file (JSON, or gzip-compressed JSON) and checks its shape. Every problem is a diagnostic with
/// the line and column in the file; a snapshot with errors is not returned, because evaluating half a snapshot
/// would silently pass whatever the broken part held.
/// </summary>
public static class SnapshotLoader
{
    /// <summary>The format major version this engine reads.</summary>
    public const string SupportedMajorVersion = "1";

    /// <summary>
    /// The most bytes a snapshot may hold, after decompression: just under the largest array .NET can allocate. A
    /// gzip bomb or a device stops here with PE4004 instead of exhausting memory.
    /// </summary>
    public const long DefaultMaxBytes = 2_000_000_000;

    /// <summary>Loads a snapshot from a file.</summary>
    public static Snapshot? LoadFile(string path, ICollection<Diagnostic> diagnostics) => LoadFile(path, diagnostics, DefaultMaxBytes);

    /// <summary>Loads a snapshot from a file of at most <paramref name="maxBytes"/> bytes (decompressed).</summary>
    public static Snapshot? LoadFile(string path, ICollection<Diagnostic> diagnostics, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        return OpenFile(path, diagnostics, maxBytes) is { } bytes ? Load(bytes, path, diagnostics) : null;
    }

    /// <summary>
    /// Opens a snapshot file (JSON, or gzip-compressed JSON): regular files only, at most <paramref name="maxBytes"/>
    /// bytes after decompression. An uncompressed file is mapped into memory rather than copied
    /// (<see cref="MappedFile"/>); a gzip file is read and decompressed. Null, with a PE4004 diagnostic, when it
    /// cannot be read.
    /// </summary>
    public static SnapshotBytes? OpenFile(string path, ICollection<Diagnostic> diagnostics, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var result = Read(path, maxBytes, diagnostics);
        return result.Problem is not null ? null
            : result.Mapping is { } mapping ? new SnapshotBytes(mapping.Memory, mapping) : new SnapshotBytes(result.Array, null);
    }

    /// <summary>
    /// Loads a snapshot from an opened file's bytes, which it takes: the snapshot releases them when it is disposed,
    /// and when none loads they are released here.
    /// </summary>
    public static Snapshot? Load(SnapshotBytes bytes, string file, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Snapshot? snapshot = null;
        try
        {
            snapshot = Load(bytes.Utf8, file, diagnostics);
            snapshot?.Keep(bytes);
            return snapshot;
        }
        finally
        {
            if (snapshot is null)
            {
                bytes.Dispose();
            }
        }
    }

    /// <summary>What reading a file gave: a problem, or its bytes as an array or as a mapping of the file.</summary>
    private readonly record struct ReadResult(string? Problem, byte[] Array, MappedFile? Mapping);

    private static ReadResult Read(string path, long maxBytes, ICollection<Diagnostic> diagnostics)
    {
        ReadResult result;
        try
        {
            result = ReadBounded(path, maxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            result = new ReadResult(ex.Message, [], null);
        }

        if (result.Problem is { } problem)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotUnreadable, new SourceLocation(path, 0, 0), $"Cannot read the snapshot: {problem}"));
        }

        return result;
    }

    private static ReadResult ReadBounded(string path, long maxBytes)
    {
        if (Directory.Exists(path))
        {
            return new ReadResult("the path is a directory. Give the path of a snapshot file (.json or .json.gz).", [], null);
        }

        var info = new FileInfo(path);
        var target = info.Exists && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info : info;
        if (target.Exists && target.Length == 0)
        {
            // Devices, pipes and sockets report no size; opening a pipe without a writer would block forever and a
            // device such as /dev/zero never ends. An empty regular file has nothing to read either.
            return new ReadResult("the file is empty, or is not a regular file (a device, a pipe or a socket). Give the path of a snapshot file (.json or .json.gz).", [], null);
        }

        FileStream? file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            // Windows refuses to replace or delete a mapped file, which a merge into one of its inputs does: it reads.
            if (!OperatingSystem.IsWindows() && file.Length <= maxBytes && !IsGzip(file) && MappedFile.TryMap(file) is { } mapping)
            {
                file = null;
                return new ReadResult(null, [], mapping);
            }

            var raw = ReadAtMost(file, maxBytes, out var complete);
            if (!complete)
            {
                return new ReadResult($"the file is larger than {maxBytes:N0} bytes, the most a snapshot may hold.", [], null);
            }

            if (raw.Length > 2 && raw[0] == 0x1f && raw[1] == 0x8b)
            {
                using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                raw = ReadAtMost(gzip, maxBytes, out complete);
                if (!complete)
                {
                    return new ReadResult($"the file decompresses to more than {maxBytes:N0} bytes, the most a snapshot may hold.", [], null);
                }
            }

            return new ReadResult(null, raw, null);
        }
        finally
        {
            file?.Dispose();
        }
    }

    /// <summary>Whether a file starts with gzip's magic bytes; the stream is left at its start.</summary>
    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Seek(0, SeekOrigin.Begin);
        return gzip;
    }

    /// <summary>Reads a stream to its end, or stops after <paramref name="maxBytes"/> bytes with <paramref name="complete"/> false.</summary>
    private static byte[] ReadAtMost(Stream stream, long maxBytes, out bool complete)
    {
        // A regular file says its size: read it into one array of that size. Growing a buffer instead copies a large
        // snapshot several times and holds three times its size at the peak.
        if (stream.CanSeek && stream.Length is var length && length <= maxBytes && length <= Array.MaxLength)
        {
            var whole = Files.LargeBuffer.Allocate((int)length);
            var filled = 0;
            while (filled < whole.Length && stream.Read(whole, filled, whole.Length - filled) is var got and > 0)
            {
                filled += got;
            }

            // The file may have changed since its size was read: if it grew, read it again the general way.
            if (stream.ReadByte() < 0)
            {
                complete = true;
                return filled == whole.Length ? whole : whole[..filled];
            }

            stream.Seek(0, SeekOrigin.Begin);
        }

        using var output = new MemoryStream();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes - total + 1))) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                complete = false;
                return [];
            }

            output.Write(buffer, 0, read);
        }

        complete = true;
        return output.ToArray();
    }

    /// <summary>Loads a snapshot from UTF-8 bytes; <paramref name="file"/> names it in diagnostics.</summary>
    public static Snapshot? Load(ReadOnlyMemory<byte> utf8, string file, ICollection<Diagnostic> diagnostics) => Load(utf8, file, diagnostics, null);

    /// <summary>
    /// Loads a snapshot, or one part of a snapshot file (<paramref name="part"/>): a part's records are given their
    /// index in the file's arrays, so their paths are the file's.
    /// </summary>
    internal static Snapshot? Load(ReadOnlyMemory<byte> utf8, string file, ICollection<Diagnostic> diagnostics, SnapshotPart? part)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var span = utf8.Span;
        if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
        {
            utf8 = utf8[3..];
        }

        JsonDocument document;
        try
        {
            // Duplicate member names are refused: which duplicate a selector sees would otherwise be undefined.
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 256, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            // The parser reports a repeated member without a position; find it so the message can point at it.
            if (new SnapshotLocator(utf8).FindDuplicateMember() is var (name, duplicateLine, duplicateColumn))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotSyntax, new SourceLocation(file, duplicateLine, duplicateColumn),
                    $"The snapshot is not valid JSON: member \"{name}\" appears twice in the same object, so which one applies is undefined. Fix the file or collect it again."));
                return null;
            }

            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = Utf16Column(utf8.Span, line, (int)(ex.BytePositionInLine ?? 0));
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotSyntax, new SourceLocation(file, line, column),
                $"The snapshot is not valid JSON: {StripPosition(ex.Message)} Fix the file or collect it again."));
            return null;
        }

        if (FindInvalidText(utf8.Span) is var (offset, what))
        {
            document.Dispose();
            var line = utf8.Span[..offset].Count((byte)'\n') + 1;
            var column = Utf16Column(utf8.Span, line, offset - (utf8.Span[..offset].LastIndexOf((byte)'\n') + 1));
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotInvalidText, new SourceLocation(file, line, column),
                $"The snapshot holds a string with {what}; a snapshot is UTF-8 text and no reporter could write that string. Fix the file or collect it again."));
            return null;
        }

        var reader = new Reader(file, new SnapshotLocator(utf8), diagnostics, part);
        var index = reader.Read(document.RootElement);
        if (index is null)
        {
            document.Dispose();
            return null;
        }

        return new Snapshot(file, utf8, document, index, part);
    }

    /// <summary>
    /// Finds the first string or member name that is not valid Unicode: bytes that are not UTF-8, or a '\uD800'-style
    /// escape of an unpaired surrogate. Reporters cannot encode such strings, so the snapshot is refused at load.
    /// </summary>
    private static (int Offset, string What)? FindInvalidText(ReadOnlySpan<byte> utf8)
    {
        // Fast path: valid UTF-8 with no escaped surrogate at all is the normal case.
        if (System.Text.Unicode.Utf8.IsValid(utf8) && utf8.IndexOf("\\ud"u8) < 0 && utf8.IndexOf("\\uD"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            {
                continue;
            }

            var start = (int)reader.TokenStartIndex;
            if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
            {
                return (start, "bytes that are not UTF-8");
            }

            if (!reader.ValueIsEscaped)
            {
                continue;
            }

            string text;
            try
            {
                text = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return (start, "an escaped surrogate ('\\uD800'-'\\uDFFF') without its pair");
            }

            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return (start, "an escaped surrogate ('\\uD800'-'\\uDFFF') without its pair");
                }
            }
        }

        return null;
    }

    /// <summary>The reader counts bytes within the line; diagnostics count UTF-16 units, as the locator does.</summary>
    private static int Utf16Column(ReadOnlySpan<byte> utf8, int line, int bytePosition)
    {
        var start = 0;
        for (var i = 1; i < line; i++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return bytePosition + 1;
            }

            start += next + 1;
        }

        return System.Text.Encoding.UTF8.GetCharCount(utf8.Slice(start, Math.Min(bytePosition, utf8.Length - start))) + 1;
    }

    private static string StripPosition(string message)
    {
        var index = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (index > 0 ? message[..index] : message).Trim();
    }

    private static readonly string[] RequiredEvidenceFields = ["service", "operation", "account", "region", "status"];

    private sealed class Reader(string file, SnapshotLocator locator, ICollection<Diagnostic> diagnostics, SnapshotPart? part)
    {
        private readonly List<(NormalizedPath Path, string Message, string Code)> _problems = [];

        public SnapshotIndex? Read(JsonElement root)
        {
            var rootPath = NormalizedPath.Root;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problem(rootPath, DiagnosticCodes.SnapshotShape, $"A snapshot is a JSON object, but this file holds {Kind(root)}.");
                return Flush() ? null : null;
            }

            if (!root.TryGetProperty("formatVersion", out var version) || version.ValueKind != JsonValueKind.String)
            {
                Problem(rootPath, DiagnosticCodes.SnapshotVersion,
                    "The snapshot has no \"formatVersion\" string. Add \"formatVersion\": \"1.0\" or collect the snapshot again.");
            }
            else if (version.GetString()!.Split('.')[0] != SupportedMajorVersion)
            {
                Problem(rootPath.Append("formatVersion"), DiagnosticCodes.SnapshotVersion,
                    $"Snapshot format version '{DiagnosticText.Shorten(version.GetString()!)}' is not supported; this engine reads version {SupportedMajorVersion}.x.");
            }

            DateTimeOffset? collectedAt = null;
            if (Optional(root, rootPath, "metadata", JsonValueKind.Object, out var metadata, out var metadataPath) &&
                metadata.TryGetProperty("collectedAt", out var collected))
            {
                if (collected.ValueKind == JsonValueKind.String &&
                    DateTimeOffset.TryParse(collected.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    collectedAt = at;
                }
                else
                {
                    Problem(metadataPath.Append("collectedAt"), DiagnosticCodes.SnapshotShape,
                        "\"collectedAt\" must be an ISO 8601 date-time string such as \"2026-11-30T12:00:00Z\".");
                }
            }

            var roleAccounts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            JsonElement? rolesSection = null;
            if (Optional(root, rootPath, "roles", JsonValueKind.Object, out var roles, out var rolesPath))
            {
                rolesSection = roles;
                foreach (var role in roles.EnumerateObject())
                {
                    var rolePath = rolesPath.Append(role.Name);
                    if (!SraRoles.IsRole(role.Name))
                    {
                        Problem(rolePath, DiagnosticCodes.SnapshotShape,
                            $"Unknown SRA role '{DiagnosticText.Shorten(role.Name)}'; the roles are {string.Join(", ", SraRoles.All)}.");
                        continue;
                    }

                    roleAccounts[role.Name] = ReadRoleAssignments(role.Value, rolePath);
                }
            }

            JsonElement? organization = null;
            List<SnapshotAccount>? accounts = null;
            if (Optional(root, rootPath, "organization", JsonValueKind.Object, out var org, out var orgPath))
            {
                organization = org;
                if (Optional(org, orgPath, "accounts", JsonValueKind.Array, out var accountArray, out var accountsPath))
                {
                    accounts = ReadAccounts(accountArray, accountsPath, roleAccounts);
                }
            }

            IReadOnlyList<string>? governed = null;
            if (Optional(root, rootPath, "regions", JsonValueKind.Object, out var regions, out var regionsPath) &&
                Optional(regions, regionsPath, "governed", JsonValueKind.Array, out var governedArray, out var governedPath))
            {
                governed = StringArray(governedArray, governedPath);
            }

            var evidence = new List<EvidenceRecord>();
            var evidenceByKey = new Dictionary<EvidenceKey, EvidenceRecord>();
            if (Optional(root, rootPath, "evidence", JsonValueKind.Array, out var evidenceArray, out var evidencePath))
            {
                ReadEvidence(evidenceArray, evidencePath, evidence, evidenceByKey);
            }

            var resources = new List<SnapshotResource>();
            if (Optional(root, rootPath, "resources", JsonValueKind.Array, out var resourceArray, out var resourcesPath))
            {
                ReadResources(resourceArray, resourcesPath, resources);
            }

            var resourcesNotCollected = ResourcesNotCollected(root, rootPath);
            var resourceCoverage = ReadResourceCoverage(root, rootPath);

            if (Flush())
            {
                return null;
            }

            return new SnapshotIndex(collectedAt, organization, rolesSection, accounts, governed, roleAccounts, evidence, evidenceByKey, resources, resourcesNotCollected, resourceCoverage);
        }

        /// <summary>
        /// Why the snapshot's AWS Config resources cannot be trusted to be complete, or null when they were collected.
        /// An absent <c>resources</c> section, or <c>coverage.sections.resources: notCollected</c> (what the live
        /// collector writes beside its empty list), means nobody looked: an empty list then is not "no resources".
        /// </summary>
        private static (string Reason, NormalizedPath? Path)? ResourcesNotCollected(JsonElement root, NormalizedPath rootPath)
        {
            if (root.TryGetProperty("coverage", out var coverage) && coverage.ValueKind == JsonValueKind.Object &&
                coverage.TryGetProperty("sections", out var sections) && sections.ValueKind == JsonValueKind.Object &&
                sections.TryGetProperty("resources", out var status) && status.ValueKind == JsonValueKind.String &&
                status.ValueEquals("notCollected"))
            {
                return ("the snapshot's resources were not collected (coverage.sections.resources is notCollected)",
                    rootPath.Append("coverage").Append("sections").Append("resources"));
            }

            return root.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array
                ? null
                : ("the snapshot has no resources section (AWS Config resources were not collected)", null);
        }

        /// <summary>
        /// <c>coverage.resources</c>, or null when the snapshot has none: the types asked for and, per account and region,
        /// whether the items were collected. Resource rules read it, so its shape is checked like any section the engine reads.
        /// </summary>
        private ResourceCoverage? ReadResourceCoverage(JsonElement root, NormalizedPath rootPath)
        {
            if (!Optional(root, rootPath, "coverage", JsonValueKind.Object, out var coverage, out var coveragePath) ||
                !Optional(coverage, coveragePath, "resources", JsonValueKind.Object, out var section, out var sectionPath))
            {
                return null;
            }

            HashSet<string>? types = null;
            if (Optional(section, sectionPath, "resourceTypes", JsonValueKind.Array, out var typeArray, out var typesPath))
            {
                types = new HashSet<string>(StringArray(typeArray, typesPath), StringComparer.Ordinal);
            }

            var entries = new List<ResourceCoverageEntry>();
            if (Optional(section, sectionPath, "byAccount", JsonValueKind.Object, out var byAccount, out var byAccountPath))
            {
                foreach (var account in byAccount.EnumerateObject())
                {
                    var accountPath = byAccountPath.Append(account.Name);
                    if (account.Value.ValueKind != JsonValueKind.Object)
                    {
                        Problem(accountPath, DiagnosticCodes.SnapshotShape, $"An account's resource coverage is an object keyed by region, but this is {Kind(account.Value)}.");
                        continue;
                    }

                    foreach (var region in account.Value.EnumerateObject())
                    {
                        var regionPath = accountPath.Append(region.Name);
                        ResourceCollectionStatus? status = null;
                        if (region.Value.ValueKind == JsonValueKind.Object && TryString(region.Value, "status", out var word))
                        {
                            status = word switch
                            {
                                "collected" => ResourceCollectionStatus.Collected,
                                "partial" => ResourceCollectionStatus.Partial,
                                "notCollected" => ResourceCollectionStatus.NotCollected,
                                _ => null,
                            };
                        }

                        if (status is null)
                        {
                            Problem(regionPath, DiagnosticCodes.SnapshotShape,
                                "A region's resource coverage is an object whose \"status\" is \"collected\", \"partial\" or \"notCollected\".");
                            continue;
                        }

                        TryString(region.Value, "reason", out var reason);
                        entries.Add(new ResourceCoverageEntry(account.Name, region.Name, status.Value, reason, regionPath));
                    }
                }
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Account, b.Account) is var c and not 0 ? c : string.CompareOrdinal(a.Region, b.Region));
            return new ResourceCoverage(types, sectionPath.Append("resourceTypes"), entries);
        }

        private List<string> ReadRoleAssignments(JsonElement value, NormalizedPath path)
        {
            var ids = new List<string>();
            if (value.ValueKind != JsonValueKind.Array)
            {
                Problem(path, DiagnosticCodes.SnapshotShape, $"A role holds an array of assignments, but this is {Kind(value)}.");
                return ids;
            }

            var i = 0;
            foreach (var assignment in value.EnumerateArray())
            {
                var itemPath = path.Append(i++);
                if (assignment.ValueKind == JsonValueKind.Object && assignment.TryGetProperty("accountId", out var id) &&
                    id.ValueKind == JsonValueKind.String)
                {
                    ids.Add(id.GetString()!);
                }
                else
                {
                    Problem(itemPath, DiagnosticCodes.SnapshotShape,
                        "A role assignment is an object with an \"accountId\" string and a \"source\" (configured or inferred).");
                }
            }

            return ids;
        }

        private List<SnapshotAccount> ReadAccounts(JsonElement array, NormalizedPath path, Dictionary<string, IReadOnlyList<string>> roleAccounts)
        {
            var accounts = new List<SnapshotAccount>();
            var i = 0;
            foreach (var account in array.EnumerateArray())
            {
                var itemPath = path.Append(i++);
                if (account.ValueKind != JsonValueKind.Object || !TryString(account, "Id", out var id))
                {
                    Problem(itemPath, DiagnosticCodes.SnapshotShape, "An account is an object with at least an \"Id\" string.");
                    continue;
                }

                TryString(account, "Name", out var name);
                // Organizations retired Status in favour of State; read State first and fall back for older exports.
                if (!TryString(account, "State", out var state))
                {
                    TryString(account, "Status", out state);
                }

                TryString(account, "OuPath", out var ouPath);
                var roles = roleAccounts.Where(r => r.Value.Contains(id, StringComparer.Ordinal)).Select(r => r.Key)
                    .OrderBy(r => r, StringComparer.Ordinal).ToArray();
                accounts.Add(new SnapshotAccount(id, name, state, ouPath, roles, account, itemPath, ReadAccountTags(account, itemPath)));
            }

            return accounts;
        }

        /// <summary>
        /// An account's <c>Tags</c>, shaped as <c>organizations:ListTagsForResource</c> returns them (an array of
        /// <c>{Key, Value}</c> strings), by key; null when the account has no <c>Tags</c> member.
        /// </summary>
        private Dictionary<string, string>? ReadAccountTags(JsonElement account, NormalizedPath accountPath)
        {
            if (!account.TryGetProperty("Tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var path = accountPath.Append("Tags");
            if (tags.ValueKind != JsonValueKind.Array)
            {
                Problem(path, DiagnosticCodes.SnapshotShape, $"An account's \"Tags\" is an array of {{\"Key\", \"Value\"}} objects, as organizations:ListTagsForResource returns them, but this is {Kind(tags)}.");
                return null;
            }

            var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var tag in tags.EnumerateArray())
            {
                var tagPath = path.Append(i++);
                if (tag.ValueKind == JsonValueKind.Object && TryString(tag, "Key", out var key) && TryString(tag, "Value", out var value))
                {
                    if (!byKey.TryAdd(key, value))
                    {
                        Problem(tagPath, DiagnosticCodes.SnapshotShape, $"The account's tag key '{key}' appears twice; AWS gives each key one value.");
                    }
                }
                else
                {
                    Problem(tagPath, DiagnosticCodes.SnapshotShape, "An account tag is an object with \"Key\" and \"Value\" strings.");
                }
            }

            return byKey;
        }

        /// <summary>
        /// Reads the evidence records into <paramref name="evidence"/> (file order) and <paramref name="byKey"/>. Each
        /// record is read on its own, in parallel (reading a <see cref="JsonDocument"/> is thread-safe), into its own
        /// slot; the duplicate check and the problems then follow in file order, so the first of two equal keys is kept
        /// and the diagnostics are the same whatever the threads do. At 10,000 accounts this was a third of the load.
        /// </summary>
        private void ReadEvidence(JsonElement array, NormalizedPath path, List<EvidenceRecord> evidence, Dictionary<EvidenceKey, EvidenceRecord> byKey)
        {
            var items = new JsonElement[array.GetArrayLength()];
            var count = 0;
            foreach (var item in array.EnumerateArray())
            {
                items[count++] = item;
            }

            var records = new EvidenceRecord?[count];
            var problems = new (NormalizedPath Path, string Message, string Code)?[count];
            const int Chunk = 4096;
            Parallel.For(0, (count + Chunk - 1) / Chunk, chunk =>
            {
                for (var i = chunk * Chunk; i < Math.Min(count, (chunk + 1) * Chunk); i++)
                {
                    records[i] = ReadRecord(items[i], path.Append(part is null ? i : part.EvidenceIndex(i)), out problems[i]);
                }
            });

            evidence.EnsureCapacity(count);
            byKey.EnsureCapacity(count);
            for (var i = 0; i < count; i++)
            {
                if (problems[i] is var (problemPath, message, code))
                {
                    Problem(problemPath, code, message);
                }
                else if (records[i] is { } record)
                {
                    if (!byKey.TryAdd(record.Key, record))
                    {
                        Problem(record.Path, DiagnosticCodes.SnapshotDuplicateEvidence,
                            $"Evidence {record.Key} appears more than once; a snapshot holds one record per call. Remove the duplicate.");
                        continue;
                    }

                    evidence.Add(record);
                }
            }
        }

        /// <summary>Reads one evidence record; null with the <paramref name="problem"/> when it is malformed.</summary>
        private EvidenceRecord? ReadRecord(JsonElement record, NormalizedPath itemPath, out (NormalizedPath Path, string Message, string Code)? problem)
        {
            problem = null;
            if (record.ValueKind != JsonValueKind.Object)
            {
                problem = (itemPath, $"An evidence record is an object, but this is {Kind(record)}.", DiagnosticCodes.SnapshotShape);
                return null;
            }

            var missing = RequiredEvidenceFields.Where(name => !HasString(record, name)).ToArray();
            if (missing.Length > 0)
            {
                problem = (itemPath, $"This evidence record lacks the string field(s) {string.Join(", ", missing.Select(m => '"' + m + '"'))}.", DiagnosticCodes.SnapshotShape);
                return null;
            }

            var parameters = new List<KeyValuePair<string, string>>();
            if (record.TryGetProperty("parameters", out var parameterObject))
            {
                if (parameterObject.ValueKind != JsonValueKind.Object)
                {
                    problem = (itemPath.Append("parameters"), "\"parameters\" must be an object.", DiagnosticCodes.SnapshotShape);
                    return null;
                }

                foreach (var parameter in parameterObject.EnumerateObject())
                {
                    parameters.Add(new(parameter.Name, EvidenceParameters.Canonical(parameter.Value)));
                }
            }

            var service = SharedString(record, "service");
            var operation = SharedString(record, "operation");
            var account = SharedString(record, "account");
            var region = SharedString(record, "region");
            TryString(record, "status", out var statusText);
            var key = new EvidenceKey(service, operation, account, region, EvidenceKey.CanonicalParameters(parameters));
            switch (statusText)
            {
                case "ok" when record.TryGetProperty("response", out var response):
                    return new EvidenceRecord(key, EvidenceStatus.Ok, response, null, null, null, itemPath);
                case "ok":
                    problem = (itemPath, "An evidence record with status \"ok\" must carry the \"response\" AWS returned (use {} for an empty one).", DiagnosticCodes.SnapshotShape);
                    return null;
                case "error" when record.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && TryString(error, "code", out var code):
                    return new EvidenceRecord(key, EvidenceStatus.Error, null, code, TryString(error, "message", out var message) ? message : string.Empty, null, itemPath);
                case "error":
                    problem = (itemPath, "An evidence record with status \"error\" must carry \"error\": {\"code\": ..., \"message\": ...}.", DiagnosticCodes.SnapshotShape);
                    return null;
                case "notCollected":
                    return new EvidenceRecord(key, EvidenceStatus.NotCollected, null, null, null, TryString(record, "reason", out var reason) ? reason : "no reason given", itemPath);
                default:
                    problem = (itemPath.Append("status"), $"Evidence status '{DiagnosticText.Shorten(statusText)}' is not one of ok, error, notCollected.", DiagnosticCodes.SnapshotShape);
                    return null;
            }
        }

        private void ReadResources(JsonElement array, NormalizedPath path, List<SnapshotResource> resources)
        {
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                var itemPath = path.Append(part is null ? i : part.ResourceIndex(i));
                i++;
                var members = item.ValueKind == JsonValueKind.Object ? ResourceMembers.Of(item) : default;
                if (members.Type.ValueKind != JsonValueKind.String || members.Id.ValueKind != JsonValueKind.String)
                {
                    Problem(itemPath, DiagnosticCodes.SnapshotShape,
                        "A resource is an AWS Config configuration item (delivery dialect) with at least \"resourceType\" and \"resourceId\".");
                    continue;
                }

                resources.Add(new SnapshotResource(_shared.Share(members.Type), members.Id.GetString()!, Shared(members.Account), Shared(members.Region),
                    members.Arn, item, itemPath));
            }
        }

        /// <summary>
        /// The members of a configuration item the index reads, found in one pass over the item: looking each up by
        /// name walked the item's members once per name, and was most of the time spent indexing 100,000 items.
        /// </summary>
        private readonly record struct ResourceMembers(JsonElement Type, JsonElement Id, JsonElement Account, JsonElement Region, JsonElement Arn)
        {
            public static ResourceMembers Of(JsonElement item)
            {
                JsonElement type = default, id = default, account = default, region = default, arn = default;
                foreach (var member in item.EnumerateObject())
                {
                    var name = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(member);
                    if (name.IndexOf((byte)'\\') >= 0)
                    {
                        // An escaped name (rare): compared after unescaping.
                        name = System.Text.Encoding.UTF8.GetBytes(member.Name);
                    }

                    if (name.SequenceEqual("resourceType"u8))
                    {
                        type = member.Value;
                    }
                    else if (name.SequenceEqual("resourceId"u8))
                    {
                        id = member.Value;
                    }
                    else if (name.SequenceEqual("awsAccountId"u8))
                    {
                        account = member.Value;
                    }
                    else if (name.SequenceEqual("awsRegion"u8))
                    {
                        region = member.Value;
                    }
                    else if (name.SequenceEqual("ARN"u8))
                    {
                        arn = member.Value;
                    }
                }

                return new ResourceMembers(type, id, account, region, arn);
            }
        }

        private List<string> StringArray(JsonElement array, NormalizedPath path)
        {
            var values = new List<string>();
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    values.Add(item.GetString()!);
                }
                else
                {
                    Problem(path.Append(i), DiagnosticCodes.SnapshotShape, $"Expected a string, found {Kind(item)}.");
                }

                i++;
            }

            return values;
        }

        private bool Optional(JsonElement parent, NormalizedPath parentPath, string name, JsonValueKind kind,
            out JsonElement value, out NormalizedPath path)
        {
            path = parentPath.Append(name);
            if (!parent.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (value.ValueKind != kind)
            {
                Problem(path, DiagnosticCodes.SnapshotShape,
                    $"\"{name}\" must be {(kind == JsonValueKind.Array ? "an array" : "an object")}, but it is {Kind(value)}.");
                return false;
            }

            return true;
        }

        /// <summary>A string member's value (empty when absent), shared with every equal value read before (<see cref="TextPool"/>).</summary>
        private string SharedString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var property) ? Shared(property) : string.Empty;

        /// <summary>A string value shared as <see cref="SharedString"/> does; empty when the value is not a string.</summary>
        private string Shared(JsonElement value) => value.ValueKind == JsonValueKind.String ? _shared.Share(value) : string.Empty;

        private readonly TextPool _shared = new(1 << 16);

        private static bool HasString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String;

        private static bool TryString(JsonElement element, string name, out string value)
        {
            if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
            {
                value = property.GetString()!;
                return true;
            }

            value = string.Empty;
            return false;
        }

        private void Problem(NormalizedPath path, string code, string message) => _problems.Add((path, message, code));

        private bool Flush()
        {
            if (_problems.Count == 0)
            {
                return false;
            }

            var positions = locator.Locate(_problems.Select(p => p.Path));
            foreach (var (path, message, code) in _problems)
            {
                var (line, column) = positions.TryGetValue(path, out var position) ? position : (0, 0);
                diagnostics.Add(Diagnostic.Error(code, new SourceLocation(file, line, column), $"{message} (at {path})"));
            }

            return true;
        }

        private static string Kind(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }
}
