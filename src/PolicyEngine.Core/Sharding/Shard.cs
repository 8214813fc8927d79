using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PolicyEngine.Core.Sharding;

/// <summary>
/// One part of an organization split into <see cref="Count"/> parts (<c>--shard INDEX/COUNT</c>, INDEX from 0, as
/// Kubernetes' JOB_COMPLETION_INDEX and AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX count). An account belongs to the shard
/// <see cref="Of"/> names for its id; everything not tied to one account (organization-level rules and calls, and the
/// findings that say the account list, the regions or a role is missing) belongs to shard 0.
/// </summary>
public sealed record Shard
{
    /// <summary>The largest shard count accepted: far more than any batch engine runs at once.</summary>
    public const int MaxCount = 10_000;

    private Shard(int index, int count)
    {
        Index = index;
        Count = count;
    }

    /// <summary>The whole organization as one shard (<c>0/1</c>): what an unsharded run evaluates.</summary>
    public static Shard Whole { get; } = new(0, 1);

    /// <summary>The shard's index, 0 to <see cref="Count"/> − 1.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>True for <c>0/1</c>: every account, nothing left out.</summary>
    public bool IsWhole => Count == 1;

    /// <summary>True for the one shard that runs organization-level rules and calls: shard 0.</summary>
    public bool OwnsOrganizationLevel => Index == 0;

    /// <summary>Creates a shard; the caller has checked 0 ≤ index &lt; count ≤ <see cref="MaxCount"/>.</summary>
    public static Shard Create(int index, int count) =>
        count is < 1 or > MaxCount || index < 0 || index >= count
            ? throw new ArgumentOutOfRangeException(nameof(index), $"shard {index}/{count} is outside 0 ≤ index < count ≤ {MaxCount}")
            : new Shard(index, count);

    /// <summary>
    /// The shard an account belongs to among <paramref name="count"/>: the first 8 bytes of the SHA-256 of the account
    /// id's ASCII text (the 12 digits), read as a big-endian unsigned integer, modulo the count. It is fixed by this
    /// definition, not by the runtime (string.GetHashCode differs per process), so any tool can compute it, e.g. in
    /// Python <c>int.from_bytes(hashlib.sha256(b"111111111111").digest()[:8], "big") % count</c>.
    /// </summary>
    public static int Of(string accountId, int count)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(accountId), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    /// <summary>True when the account with this id belongs to this shard.</summary>
    public bool Owns(string accountId) => IsWhole || Of(accountId, Count) == Index;

    /// <summary>
    /// Parses <c>INDEX/COUNT</c> (e.g. <c>2/8</c>): decimal digits, 0 ≤ INDEX &lt; COUNT ≤ <see cref="MaxCount"/>.
    /// </summary>
    /// <returns>The shard, or null with <paramref name="problem"/> saying what is wrong and how to write it.</returns>
    public static Shard? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IsNumber(text[..slash], out var index) || !IsNumber(text[(slash + 1)..], out var count))
        {
            problem = $"'{text}' is not a shard: write INDEX/COUNT with whole numbers, INDEX counted from 0 (e.g. 0/8 is the first of 8 shards)";
            return null;
        }

        if (count < 1 || count > MaxCount)
        {
            problem = $"'{text}': the count must be between 1 and {MaxCount.ToString(CultureInfo.InvariantCulture)}";
            return null;
        }

        if (index >= count)
        {
            problem = $"'{text}': the index counts from 0, so it must be below the count {count.ToString(CultureInfo.InvariantCulture)} (the last of {count.ToString(CultureInfo.InvariantCulture)} shards is {(count - 1).ToString(CultureInfo.InvariantCulture)}/{count.ToString(CultureInfo.InvariantCulture)})";
            return null;
        }

        return new Shard(index, count);
    }

    /// <summary>The <c>INDEX/COUNT</c> form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    private static bool IsNumber(string text, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 9 && text.All(char.IsAsciiDigit) &&
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
