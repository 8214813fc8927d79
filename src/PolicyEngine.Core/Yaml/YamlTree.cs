using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Core.Yaml;

/// <summary>
/// A YAML node that remembers where it came from. Rule files are small, so a tree with positions is cheap, and
/// every later stage can point its diagnostics at the exact line and column.
/// </summary>
public abstract class YamlNode
{
    private protected YamlNode(SourceLocation start) => Start = start;

    /// <summary>Where the node starts (1-based).</summary>
    public SourceLocation Start { get; }

    /// <summary>A short word for messages: "a mapping", "a sequence", "a string".</summary>
    public abstract string KindName { get; }
}

/// <summary>A scalar. Plain scalars keep their text; the binder decides what type they must be.</summary>
public sealed class YamlScalar : YamlNode
{
    internal YamlScalar(SourceLocation start, string value, bool isPlain, bool isBlock, string? tag)
        : base(start)
    {
        Value = value;
        IsPlain = isPlain;
        IsBlock = isBlock;
        Tag = tag;
    }

    /// <summary>The scalar's text.</summary>
    public string Value { get; }

    /// <summary>True for unquoted scalars: only these may be read as null, booleans or numbers (YAML 1.2 core schema).</summary>
    public bool IsPlain { get; }

    /// <summary>True for literal (|) and folded (&gt;) block scalars, whose content starts on the next line.</summary>
    public bool IsBlock { get; }

    /// <summary>An explicit tag such as <c>!!str</c>, if any.</summary>
    public string? Tag { get; }

    /// <summary>True when the scalar is YAML null (<c>~</c>, <c>null</c> or empty, unquoted).</summary>
    public bool IsNull => IsPlain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <inheritdoc/>
    public override string KindName => IsNull ? "null" : "a scalar";
}

/// <summary>A sequence.</summary>
public sealed class YamlSequence : YamlNode
{
    internal YamlSequence(SourceLocation start, IReadOnlyList<YamlNode> items)
        : base(start) => Items = items;

    /// <summary>The items in order.</summary>
    public IReadOnlyList<YamlNode> Items { get; }

    /// <inheritdoc/>
    public override string KindName => "a sequence";
}

/// <summary>A mapping whose keys are scalars (the rule format never needs complex keys).</summary>
public sealed class YamlMapping : YamlNode
{
    internal YamlMapping(SourceLocation start, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries)
        : base(start) => Entries = entries;

    /// <summary>The entries in document order.</summary>
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; }

    /// <inheritdoc/>
    public override string KindName => "a mapping";

    /// <summary>Finds a value by key, or null.</summary>
    public YamlNode? this[string key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Finds the key node for a key, or null.</summary>
    public YamlScalar? KeyNode(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Key;
            }
        }

        return null;
    }
}
