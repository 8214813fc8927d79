namespace PolicyEngine.Core.Rules.Model;

/// <summary>An AWS API operation as rules name it: <c>service:Operation</c>, e.g. <c>guardduty:ListDetectors</c>.</summary>
public sealed record OperationName(string Service, string Operation)
{
    /// <summary>Parses <c>service:Operation</c>; the service is lower-case, the operation PascalCase.</summary>
    public static bool TryParse(string text, out OperationName? name)
    {
        name = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var service = text[..colon];
        var operation = text[(colon + 1)..];
        if (!service.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ||
            !char.IsAsciiLetterUpper(operation[0]) || !operation.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        name = new OperationName(service, operation);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Service + ":" + Operation;
}

/// <summary>Where evidence is collected: once for the organization, per account, or per account and region.</summary>
public enum CollectionScope
{
    /// <summary>Once, in the management account, region "global".</summary>
    Organization,

    /// <summary>Once per account, region "global".</summary>
    Account,

    /// <summary>Once per account and region.</summary>
    AccountRegion,
}

/// <summary>
/// The operations a snapshot can hold, with their collection scope. The CLI fills it from the collection plan
/// (collectors/*.yaml), so "unknown operation" means "no collector could ever gather this".
/// </summary>
public sealed class OperationCatalog
{
    private readonly Dictionary<OperationName, CollectionScope> _operations;

    /// <summary>Creates a catalog.</summary>
    public OperationCatalog(IEnumerable<KeyValuePair<OperationName, CollectionScope>> operations) =>
        _operations = operations.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>A catalog that accepts every well-formed operation name (for packs checked without a plan).</summary>
    public static OperationCatalog Open { get; } = new([]) { IsOpen = true };

    /// <summary>True when every operation is accepted.</summary>
    public bool IsOpen { get; private init; }

    /// <summary>All known operations, sorted.</summary>
    public IReadOnlyList<OperationName> Operations =>
        _operations.Keys.OrderBy(o => o.Service, StringComparer.Ordinal).ThenBy(o => o.Operation, StringComparer.Ordinal).ToArray();

    /// <summary>True when the operation is known (or the catalog is open).</summary>
    public bool Contains(OperationName name) => IsOpen || _operations.ContainsKey(name);

    /// <summary>The scope of a known operation.</summary>
    public CollectionScope? ScopeOf(OperationName name) => _operations.TryGetValue(name, out var scope) ? scope : null;
}
