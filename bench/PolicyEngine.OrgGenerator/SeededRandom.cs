namespace PolicyEngine.OrgGenerator;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by this code, not by the runtime (System.Random's seeded
/// sequence is an implementation detail). Each account and each Config item gets its own stream, derived from the
/// seed and its index, so adding accounts or items never changes the ones before them.
/// </summary>
internal struct SeededRandom
{
    private ulong _state;

    public SeededRandom(int seed, ulong stream, long index)
    {
        _state = Mix(((ulong)(uint)seed << 32) ^ (stream * 0x9E3779B97F4A7C15UL) ^ (ulong)index);
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
