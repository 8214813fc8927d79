using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Sharding;

namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// A snapshot file split by account into parts that are loaded one at a time, so that evaluating it holds one part's
/// document, not the whole file's. The file is read once to index it: where each top-level member and each evidence
/// record and configuration item is, and which account it belongs to. Part <c>i</c> of <see cref="Count"/> then holds
/// the records of the accounts of shard <c>i/Count</c> (<see cref="Shard.Of"/>), plus those of the accounts with an
/// SRA role (rules read the Security Tooling and management accounts' evidence from any account's subject), plus every
/// other member whole. A part is a snapshot of its own whose paths and positions are those of the file: records keep
/// their index in the file's arrays, and a finding's line and column are counted in the file.
/// </summary>
/// <remarks>
/// A part answers only for the accounts it holds. When a rule reads the evidence of an account held by another part,
/// or the configuration items of every account, the part says so (<see cref="Snapshot.ReadOutsidePart"/>) and the
/// evaluation must be made over the whole snapshot instead: a part never answers "missing" for what the file holds.
/// </remarks>
public sealed class SnapshotParts : IDisposable
{
    /// <summary>The default size of a part: the bytes of records a part holds, about.</summary>
    public const long DefaultPartBytes = 64L << 20;

    private readonly Member[] _members;
    private readonly Element[] _evidence;
    private readonly Element[] _resources;
    private readonly string[] _accounts;
    private readonly int[] _partOfAccount;
    private readonly Dictionary<string, int> _accountIds;
    private readonly Dictionary<(string Service, string Operation), int> _callIds;
    private readonly (long Offset, int Line, int Column) _root;
    private readonly Dictionary<string, int> _typeIds;
    private readonly (long Length, DateTime WrittenAt) _indexed;
    private HashSet<int>? _roleAccounts;

    private SnapshotParts(string file, Scan scan, int count, (long Length, DateTime WrittenAt) indexed)
    {
        File = file;
        _indexed = indexed;
        Count = count;
        _members = [.. scan.Members];
        _evidence = [.. scan.Evidence];
        _resources = [.. scan.Resources];
        _accounts = [.. scan.Accounts];
        _accountIds = scan.AccountIds;
        _partOfAccount = [.. _accounts.Select(account => account.Length == 0 ? 0 : Shard.Of(account, count))];
        // Only configuration items have a type: the types are those of the file's items.
        _typeIds = scan.Types.Select((type, id) => (type, id)).ToDictionary(p => p.type, p => p.id, StringComparer.Ordinal);
        _callIds = scan.CallIds;
        _root = scan.Root;
    }

    /// <summary>The file, as the user named it.</summary>
    public string File { get; }

    /// <summary>The number of parts (at least 2).</summary>
    public int Count { get; }

    /// <summary>
    /// The snapshot without its evidence records and configuration items: the organization, its accounts and roles,
    /// regions, coverage and metadata, whole. What is read before evaluating (configuration checks, the evaluation date).
    /// </summary>
    public Snapshot Header { get; private set; } = null!;

    /// <summary>
    /// Indexes <paramref name="path"/> and plans its parts, or returns null when the file is better loaded whole: not a
    /// regular file, compressed, over <see cref="SnapshotLoader.DefaultMaxBytes"/>, no larger than four parts
    /// (<paramref name="partBytes"/> each), or with anything the loader would report (invalid JSON, a member
    /// twice, a malformed section). The whole load then says what is wrong, where, as it always does.
    /// </summary>
    public static SnapshotParts? TryPlan(string path, long partBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(partBytes, 1);
        // Below four parts' worth a file is read whole: one document costs less there than a part's fixed work (the
        // 76 MB anchor file took 2.7-3.1 s in two parts against 2.3-2.8 s whole), and its memory is modest.
        return Plan(path, minimumFileBytes: partBytes > long.MaxValue / 4 ? long.MaxValue : partBytes * 4 + 1, recordBytes => (int)Math.Min(Shard.MaxCount, (recordBytes + partBytes - 1) / partBytes));
    }

    /// <summary>Indexes <paramref name="path"/> and plans <paramref name="count"/> parts of it, or returns null as <see cref="TryPlan"/> does.</summary>
    public static SnapshotParts? TryPlanCount(string path, int count)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Shard.MaxCount);
        return Plan(path, minimumFileBytes: 2, _ => count);
    }

    private static SnapshotParts? Plan(string path, long minimumFileBytes, Func<long, int> countFor)
    {
        try
        {
            // A link is measured by what it points to, as the whole load reads it.
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            }

            if (!info.Exists || (info.Attributes & FileAttributes.Directory) != 0 || info.Length < minimumFileBytes || info.Length > SnapshotLoader.DefaultMaxBytes)
            {
                return null;
            }

            // The file as it is indexed: a part read later from a file changed since is refused (Read).
            using var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var indexed = (RandomAccess.GetLength(handle), System.IO.File.GetLastWriteTimeUtc(handle));
            var scan = Scan.Read(path);
            if (scan is null)
            {
                return null;
            }

            var count = countFor(scan.Evidence.Sum(e => (long)e.Length) + scan.Resources.Sum(r => (long)r.Length));
            if (count < 2)
            {
                return null;
            }

            var parts = new SnapshotParts(path, scan, count, indexed);
            foreach (var member in parts._members)
            {
                member.Bytes = new byte[member.Records is null ? member.Length : (int)(member.RecordsStart + 1 - member.Offset)];
                ReadExactly(handle, member.Bytes, member.Offset);
            }

            var diagnostics = new List<Diagnostic>();
            var header = parts.Compose(-1, handle, diagnostics);
            if (header is null)
            {
                return null;
            }

            parts.Header = header;
            parts._roleAccounts = [.. header.RoleAccounts.Values.SelectMany(ids => ids).Where(parts._accountIds.ContainsKey).Select(id => parts._accountIds[id])];
            return parts;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>
    /// Loads part <paramref name="index"/>; null, with the loader's diagnostics, when it is malformed (the whole file
    /// should then be loaded, for the diagnostics of the whole file).
    /// </summary>
    public Snapshot? Load(int index, ICollection<Diagnostic> diagnostics)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        ArgumentNullException.ThrowIfNull(diagnostics);
        return Read(diagnostics, handle => Compose(index, handle, diagnostics));
    }

    /// <summary>
    /// Loads the part for rules that read across accounts: every account's records of <paramref name="calls"/>
    /// (service, operation) and configuration items of <paramref name="resourceTypes"/>, and nothing else. It answers
    /// for those calls and types only (and for calls the file has no record of); null, with the loader's diagnostics,
    /// when it is malformed.
    /// </summary>
    public Snapshot? LoadAcrossAccounts(IEnumerable<(string Service, string Operation)> calls, IEnumerable<string> resourceTypes, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(resourceTypes);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var held = calls.Where(_callIds.ContainsKey).Select(call => _callIds[call]).ToHashSet();
        var types = resourceTypes.Where(_typeIds.ContainsKey).Select(type => _typeIds[type]).ToHashSet();
        var evidence = Enumerable.Range(0, _evidence.Length).Where(i => held.Contains(_evidence[i].Group)).ToArray();
        var resources = Enumerable.Range(0, _resources.Length).Where(i => types.Contains(_resources[i].Group)).ToArray();
        return Read(diagnostics, handle => Compose(AcrossAccounts, evidence, resources, held, handle, diagnostics));
    }

    /// <summary>
    /// Reads a part from the file as it was indexed; a file that changed since (its size or time) or cannot be read
    /// is PE4004, and no part: the whole load then reads the file as it is now.
    /// </summary>
    private Snapshot? Read(ICollection<Diagnostic> diagnostics, Func<SafeFileHandle, Snapshot?> compose)
    {
        string problem;
        try
        {
            using var handle = System.IO.File.OpenHandle(File, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (RandomAccess.GetLength(handle) == _indexed.Length && System.IO.File.GetLastWriteTimeUtc(handle) == _indexed.WrittenAt)
            {
                return compose(handle);
            }

            problem = "the file changed while it was evaluated in parts";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
        }

        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SnapshotUnreadable, new SourceLocation(File, 0, 0), $"Cannot read the snapshot: {problem}"));
        return null;
    }

    /// <inheritdoc/>
    public void Dispose() => Header?.Dispose();

    /// <summary>
    /// Builds part <paramref name="index"/> (-1: the header, with no records) as one document: the file's bytes of
    /// each member and of each run of consecutive records the part holds, verbatim, joined by commas.
    /// </summary>
    private Snapshot? Compose(int index, SafeFileHandle handle, ICollection<Diagnostic> diagnostics) =>
        Compose(index, Select(_evidence, index, roles: true), Select(_resources, index, roles: false), null, handle, diagnostics);

    private Snapshot? Compose(int index, int[] evidence, int[] resources, HashSet<int>? heldCalls, SafeFileHandle handle, ICollection<Diagnostic> diagnostics)
    {
        var length = 2L + _members.Length - 1;
        foreach (var member in _members)
        {
            length += member.Bytes!.Length + (member.Records is null ? 0 : 1 + (member.Records == "evidence" ? RunBytes(_evidence, evidence) : RunBytes(_resources, resources)));
        }

        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException("a part is larger than an array can hold");
        }

        // The parts are loaded one after the other into one buffer: a reference to an earlier part that outlives it (a
        // thread pool's queue keeps the last work items it ran) then holds no bytes of its own.
        var bytes = index == -1 ? new byte[length] : PartBuffer((int)length);
        var segments = new List<PartSegment> { new(0, 1, _root.Line, _root.Column) };
        bytes[0] = (byte)'{';
        var at = 1;
        var window = new FileWindow(handle);
        for (var m = 0; m < _members.Length; m++)
        {
            var member = _members[m];
            if (m > 0)
            {
                bytes[at++] = (byte)',';
            }

            segments.Add(new PartSegment(at, member.Bytes!.Length, member.Line, member.Column));
            member.Bytes.CopyTo(bytes, at);
            at += member.Bytes.Length;
            if (member.Records is null)
            {
                continue;
            }

            var (elements, selected) = member.Records == "evidence" ? (_evidence, evidence) : (_resources, resources);
            foreach (var (first, last) in Runs(selected))
            {
                if (first != selected[0])
                {
                    bytes[at++] = (byte)',';
                }

                var start = elements[first].Offset;
                var runLength = (int)(elements[last].Offset + elements[last].Length - start);
                segments.Add(new PartSegment(at, runLength, elements[first].Line, elements[first].Column));
                window.Read(start, bytes.AsSpan(at, runLength));
                at += runLength;
            }

            bytes[at++] = (byte)']';
        }

        bytes[at++] = (byte)'}';
        var part = new SnapshotPart(this, index, evidence, resources, heldCalls, bytes, [.. segments]);
        return SnapshotLoader.Load(bytes.AsMemory(0, at), File, diagnostics, part);
    }

    private byte[]? _partBuffer;

    private byte[] PartBuffer(int length)
    {
        if (_partBuffer is null || _partBuffer.Length < length)
        {
            _partBuffer = null;
            _partBuffer = new byte[length];
        }

        return _partBuffer;
    }

    /// <summary>The number of the part that holds every account's records of some calls (<see cref="LoadAcrossAccounts"/>).</summary>
    internal const int AcrossAccounts = -2;

    /// <summary>
    /// Whether part <paramref name="index"/> holds <paramref name="account"/>'s records of a call: a part by account holds
    /// its own accounts', the role accounts' and those the file has none of; the part across accounts holds every
    /// account's records of <paramref name="heldCalls"/>, and those of calls the file has none of.
    /// </summary>
    internal bool Holds(int index, HashSet<int>? heldCalls, string service, string operation, string account) =>
        index == AcrossAccounts
            ? !_callIds.TryGetValue((service, operation), out var call) || heldCalls!.Contains(call)
            : !_accountIds.TryGetValue(account, out var id) || _partOfAccount[id] == index || (_roleAccounts?.Contains(id) ?? false);

    /// <summary>Whether the file holds configuration items of <paramref name="type"/> in any account.</summary>
    internal bool HasResourcesOfType(string type) => _typeIds.ContainsKey(type);

    /// <summary>Whether a part with these configuration items lacks some of the file's.</summary>
    internal bool LacksResources(int[] resources) => resources.Length < _resources.Length;

    /// <summary>The indexes of the records part <paramref name="index"/> holds, ascending; the header holds none.</summary>
    private int[] Select(Element[] elements, int index, bool roles)
    {
        if (index < 0)
        {
            return [];
        }

        var selected = new List<int>();
        for (var i = 0; i < elements.Length; i++)
        {
            var account = elements[i].Account;
            if (account < 0 ? index == 0 : _partOfAccount[account] == index || (roles && _roleAccounts!.Contains(account)))
            {
                selected.Add(i);
            }
        }

        return [.. selected];
    }

    /// <summary>The bytes the runs of <paramref name="selected"/> take, with a comma between runs.</summary>
    private static long RunBytes(Element[] elements, int[] selected)
    {
        long total = 0;
        var runs = 0;
        foreach (var (first, last) in Runs(selected))
        {
            total += elements[last].Offset + elements[last].Length - elements[first].Offset;
            runs++;
        }

        return total + Math.Max(0, runs - 1);
    }

    /// <summary>Runs of consecutive indexes, as (first, last) pairs.</summary>
    private static IEnumerable<(int First, int Last)> Runs(int[] selected)
    {
        for (var i = 0; i < selected.Length;)
        {
            var j = i;
            while (j + 1 < selected.Length && selected[j + 1] == selected[j] + 1)
            {
                j++;
            }

            yield return (selected[i], selected[j]);
            i = j + 1;
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("the snapshot file became shorter while it was read");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>
    /// Reads ranges of the file in ascending order through a window of a megabyte: records of one part are often
    /// scattered, one or two hundred bytes each, and a read per record would be a system call per record.
    /// </summary>
    private sealed class FileWindow(SafeFileHandle handle)
    {
        private const int Size = 1 << 20;
        private readonly byte[] _buffer = new byte[Size];
        private long _start;
        private int _length;

        public void Read(long offset, Span<byte> destination)
        {
            if (destination.Length >= Size / 4)
            {
                ReadExactly(handle, destination, offset);
                return;
            }

            if (offset < _start || offset + destination.Length > _start + _length)
            {
                _start = offset;
                _length = 0;
                while (_length < destination.Length)
                {
                    var read = RandomAccess.Read(handle, _buffer.AsSpan(_length), offset + _length);
                    if (read == 0)
                    {
                        throw new EndOfStreamException("the snapshot file became shorter while it was read");
                    }

                    _length += read;
                }
            }

            _buffer.AsSpan((int)(offset - _start), destination.Length).CopyTo(destination);
        }
    }

    /// <summary>A top-level member: its bytes from its name to its value's end (for evidence and resources, to the array's '[').</summary>
    private sealed class Member(string name, long offset, int line, int column)
    {
        public string Name { get; } = name;

        public long Offset { get; } = offset;

        public int Line { get; } = line;

        public int Column { get; } = column;

        public int Length { get; set; }

        /// <summary>"evidence" or "resources" when the value is the array of records indexed element by element.</summary>
        public string? Records { get; set; }

        public long RecordsStart { get; set; }

        public byte[]? Bytes { get; set; }
    }

    /// <summary>One record: where it is, its line and column, its account's number (-1: none) and, for configuration items, its type's.</summary>
    /// <summary>
    /// One record: where it is, its line and column, its account's number (-1: none) and its group's: for an evidence
    /// record its call's (service and operation), for a configuration item its type's (-1: none).
    /// </summary>
    private readonly record struct Element(long Offset, int Length, int Line, int Column, int Account, int Group);

    /// <summary>Counts lines and UTF-16 columns as the file is read, as the locator counts them.</summary>
    private sealed class PositionCounter
    {
        public long Offset { get; private set; }

        private int _line = 1;
        private int _column;

        public int Line => _line;

        public int Column => _column;

        /// <summary>Counts the bytes from <see cref="Offset"/> to <paramref name="offset"/>; <paramref name="buffer"/> starts at <paramref name="bufferStart"/>.</summary>
        public void AdvanceTo(long offset, byte[] buffer, long bufferStart)
        {
            TextPosition.Advance(buffer.AsSpan((int)(Offset - bufferStart), (int)(offset - Offset)), ref _line, ref _column);
            Offset = offset;
        }
    }

    /// <summary>One pass of a <see cref="Utf8JsonReader"/> over the file, a megabyte at a time, that finds the members and records.</summary>
    private sealed class Scan
    {
        public List<Member> Members { get; } = [];

        public List<Element> Evidence { get; } = [];

        public List<Element> Resources { get; } = [];

        public List<string> Accounts { get; } = [];

        public Dictionary<string, int> AccountIds { get; } = new(StringComparer.Ordinal);

        public List<string> Types { get; } = [];

        public List<(string Service, string Operation)> Calls { get; } = [];

        public Dictionary<(string Service, string Operation), int> CallIds { get; } = [];

        public (long Offset, int Line, int Column) Root { get; private set; }

        private readonly Dictionary<string, int> _typeIds = new(StringComparer.Ordinal);
        private Member? _member;
        private long _elementStart = -1;
        private (int Line, int Column) _elementPosition;
        private int _account = -1;
        private int _type = -1;
        private string? _service;
        private string? _operation;
        private string? _wanted;
        private bool _rootClosed;

        /// <summary>The file's index; null when it is not one JSON object, or a member appears twice.</summary>
        public static Scan? Read(string path)
        {
            var scan = new Scan();
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new byte[1 << 20];
            var filled = 0;
            long bufferStart = 0;
            var final = false;
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 256 });
            var counter = new PositionCounter();
            if (stream.Read(buffer, 0, 3) is var bom && bom == 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                // A byte order mark: the loader skips it too, and counts columns after it.
                return null;
            }

            filled = bom;
            while (true)
            {
                if (!final)
                {
                    var read = stream.Read(buffer, filled, buffer.Length - filled);
                    final = read == 0;
                    filled += read;
                }

                var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
                while (reader.Read())
                {
                    if (!scan.Take(ref reader, bufferStart, buffer, counter))
                    {
                        return null;
                    }
                }

                var consumed = (int)reader.BytesConsumed;
                state = reader.CurrentState;
                counter.AdvanceTo(bufferStart + consumed, buffer, bufferStart);
                if (final)
                {
                    return scan._rootClosed ? scan : null;
                }

                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                bufferStart += consumed;
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
        }

        /// <summary>Takes one token; false when the file is not what a part can be made of.</summary>
        private bool Take(ref Utf8JsonReader reader, long bufferStart, byte[] buffer, PositionCounter counter)
        {
            var at = bufferStart + reader.TokenStartIndex;
            var end = bufferStart + reader.BytesConsumed;
            var token = reader.TokenType;
            switch (reader.CurrentDepth)
            {
                case 0 when token == JsonTokenType.StartObject:
                    counter.AdvanceTo(at, buffer, bufferStart);
                    Root = (at, counter.Line, counter.Column);
                    return true;
                case 0 when token == JsonTokenType.EndObject:
                    _rootClosed = true;
                    return true;
                case 0:
                    return false;
                case 1 when token == JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    if (Members.Any(m => m.Name == name))
                    {
                        return false;
                    }

                    counter.AdvanceTo(at, buffer, bufferStart);
                    _member = new Member(name, at, counter.Line, counter.Column);
                    Members.Add(_member);
                    return true;
                case 1 when token == JsonTokenType.StartArray && _member!.Name is "evidence" or "resources":
                    _member.Records = _member.Name;
                    _member.RecordsStart = at;
                    return true;
                case 1 when token is JsonTokenType.StartObject or JsonTokenType.StartArray:
                    return true;
                case 1:
                    _member!.Length = (int)(end - _member.Offset);
                    return true;
                case 2 when _member!.Records is null:
                    return true;
                case 2 when token is JsonTokenType.StartObject or JsonTokenType.StartArray:
                    counter.AdvanceTo(at, buffer, bufferStart);
                    (_elementStart, _elementPosition, _account, _type, _wanted, _service, _operation) = (at, (counter.Line, counter.Column), -1, -1, null, null, null);
                    return true;
                case 2:
                    if (_elementStart < 0)
                    {
                        counter.AdvanceTo(at, buffer, bufferStart);
                        (_elementStart, _elementPosition, _account, _type) = (at, (counter.Line, counter.Column), -1, -1);
                    }

                    if (_member.Records == "evidence")
                    {
                        var call = (_service ?? string.Empty, _operation ?? string.Empty);
                        if (!CallIds.TryGetValue(call, out var callId))
                        {
                            callId = Calls.Count;
                            CallIds.Add(call, callId);
                            Calls.Add(call);
                        }

                        Evidence.Add(new Element(_elementStart, (int)(end - _elementStart), _elementPosition.Line, _elementPosition.Column, _account, callId));
                    }
                    else
                    {
                        Resources.Add(new Element(_elementStart, (int)(end - _elementStart), _elementPosition.Line, _elementPosition.Column, _account, _type));
                    }

                    (_service, _operation) = (null, null);
                    _elementStart = -1;
                    return true;
                case 3 when _member!.Records is not null && token == JsonTokenType.PropertyName:
                    _wanted = _member.Records == "evidence"
                        ? (reader.ValueTextEquals("account"u8) ? "account" : reader.ValueTextEquals("service"u8) ? "service" : reader.ValueTextEquals("operation"u8) ? "operation" : null)
                        : reader.ValueTextEquals("awsAccountId"u8) ? "account" : reader.ValueTextEquals("resourceType"u8) ? "type" : null;
                    return true;
                case 3 when _member!.Records is not null && _wanted is not null:
                    if (token == JsonTokenType.String)
                    {
                        var value = reader.GetString()!;
                        if (_wanted == "account")
                        {
                            _account = Id(AccountIds, Accounts, value);
                        }
                        else if (_wanted == "type")
                        {
                            _type = Id(_typeIds, Types, value);
                        }
                        else if (_wanted == "service")
                        {
                            _service = value;
                        }
                        else
                        {
                            _operation = value;
                        }
                    }

                    _wanted = null;
                    return true;
                default:
                    return true;
            }
        }

        private static int Id(Dictionary<string, int> ids, List<string> values, string value)
        {
            if (!ids.TryGetValue(value, out var id))
            {
                id = values.Count;
                ids.Add(value, id);
                values.Add(value);
            }

            return id;
        }
    }
}
