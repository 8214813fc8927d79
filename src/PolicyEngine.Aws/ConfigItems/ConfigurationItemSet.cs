using System.Text.Json.Nodes;

namespace PolicyEngine.Aws.ConfigItems;

/// <summary>
/// Normalised configuration items, de-duplicated by <see cref="ConfigurationItems.Key"/> (a later copy of the same
/// observation replaces the earlier) and listed in key order, so the resources section is the same bytes whatever the
/// order the items arrived in.
/// </summary>
public sealed class ConfigurationItemSet
{
    private readonly SortedDictionary<string, JsonObject> _items = new(StringComparer.Ordinal);

    /// <summary>Items held.</summary>
    public int Count => _items.Count;

    /// <summary>Normalises an item of any dialect and adds it; returns the normalised item.</summary>
    public JsonObject Add(JsonObject raw)
    {
        var ci = ConfigurationItems.Normalise(raw);
        _items[ConfigurationItems.Key(ci)] = ci;
        return ci;
    }

    /// <summary>Adds an item already normalised (<see cref="ConfigurationItems.Normalise"/>).</summary>
    public void AddNormalised(JsonObject ci) => _items[ConfigurationItems.Key(ci)] = ci;

    /// <summary>The items in key order.</summary>
    public List<JsonObject> Sorted() => [.. _items.Values];
}
