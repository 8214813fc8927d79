namespace PolicyEngine.Core.Rules.Model;

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

/// <summary>One place an operation is collected: a set of accounts, once per account or once per region.</summary>
/// <param name="Role">The SRA role whose accounts it is collected in (e.g. <c>management</c>); null for every active account.</param>
/// <param name="Regional">True when collected per governed region; false when collected once per account, as region <c>global</c>.</param>
/// <param name="Source">Where the collection plan declares it (<c>file:line:col</c>), shown in diagnostics; null when unknown.</param>
public sealed record CollectionSite(string? Role, bool Regional, string? Source = null)
{
    /// <summary>Covers a read of the evidence in the accounts of <paramref name="role"/> (null: every account) with this regionality.</summary>
    public bool Covers(string? role, bool regional) => Regional == regional && (Role is null || Role == role);

    /// <summary>How messages describe the site, e.g. "in the management account, per region".</summary>
    public string Describe() =>
        (Role is null ? "in every account" : $"in the {Role} account") + (Regional ? ", per region" : ", once per account (region \"global\")");
}

/// <summary>
/// How the collector types the numbers of an operation's responses. With the service's AWS model (every shipped
/// collector file names one), every number is typed whatever the protocol; JSON protocols keep AWS's types anyway. A
/// custom plan entry of an XML protocol (query, ec2, rest-xml) without a model delivers text: a numeric comparison on
/// a member of its responses compares text and never holds.
/// </summary>
public sealed record NumberTyping
{
    private NumberTyping(IReadOnlySet<string>? numberMembers, string? protocol, string? source)
    {
        NumberMembers = numberMembers;
        Protocol = protocol;
        Source = source;
    }

    /// <summary>Numbers arrive as JSON numbers, as AWS types them (JSON protocols).</summary>
    public static NumberTyping AsSent { get; } = new(null, null, null);

    /// <summary>Values arrive as text except booleans and the listed members (XML protocols).</summary>
    /// <param name="numberMembers">The members recorded as numbers anyway.</param>
    /// <param name="protocol">The wire protocol, for messages.</param>
    /// <param name="source">Where the plan declares the operation (<c>file:line:col</c>), for messages.</param>
    public static NumberTyping Text(IEnumerable<string> numberMembers, string protocol, string? source) =>
        new(numberMembers.ToHashSet(StringComparer.Ordinal), protocol, source);

    /// <summary>The members recorded as numbers; null when every number is recorded as a number.</summary>
    public IReadOnlySet<string>? NumberMembers { get; }

    /// <summary>The XML protocol, when values arrive as text.</summary>
    public string? Protocol { get; }

    /// <summary>Where the plan declares the operation, when values arrive as text.</summary>
    public string? Source { get; }

    /// <summary>True when the member (the last name a selector reads; null when it ends in a wildcard, index or filter) is recorded as a number whenever AWS sends one.</summary>
    public bool IsNumber(string? member) => NumberMembers is null || (member is not null && NumberMembers.Contains(member));

    /// <summary>The typing of an operation collected by several plan entries: a member is a number only when every entry records it as one.</summary>
    public static NumberTyping Combine(IReadOnlyList<NumberTyping> typings)
    {
        ArgumentNullException.ThrowIfNull(typings);
        var text = typings.Where(t => t.NumberMembers is not null).ToList();
        if (text.Count == 0)
        {
            return AsSent;
        }

        var members = new HashSet<string>(text[0].NumberMembers!, StringComparer.Ordinal);
        foreach (var typing in text.Skip(1))
        {
            members.IntersectWith(typing.NumberMembers!);
        }

        return new NumberTyping(members, text[0].Protocol, text[0].Source);
    }
}

/// <summary>An operation a snapshot can hold: where it is collected and how its responses are typed.</summary>
/// <param name="Name">The operation.</param>
/// <param name="Sites">Every place it is collected (one per plan entry), in plan order.</param>
/// <param name="Numbers">How its responses type numbers.</param>
public sealed record CollectedOperation(OperationName Name, IReadOnlyList<CollectionSite> Sites, NumberTyping Numbers)
{
    /// <summary>
    /// The scope rules default to: per account and region when any site is regional (a regional rule then reads the
    /// subject's region), else once for the organization when every site is the organization's, else once per account.
    /// </summary>
    public CollectionScope Scope =>
        Sites.Any(s => s.Regional) ? CollectionScope.AccountRegion
        : Sites.Count > 0 && Sites.All(s => s.Role == OrganizationRole) ? CollectionScope.Organization
        : CollectionScope.Account;

    /// <summary>The role of organization-wide evidence: it is collected once, with the management account's credentials.</summary>
    internal const string OrganizationRole = "management";
}

/// <summary>
/// The evidence catalogue: which operations a snapshot can hold, in which accounts and regions, and how their values
/// are typed. It is the rule compiler's whole knowledge of collection. The collection plan (<c>collectors/*.yaml</c>)
/// is its source, but the plan's file format and its AWS calling details (protocols, endpoints, pagination, fan-out)
/// belong to the collector (<c>PolicyEngine.Aws</c>), whose plan loader produces this catalogue; the CLI hands it to
/// the compiler. So Core never reads plan files and never depends on the collector, and each concept has one home:
/// "how to call AWS" in the plan model, "what evidence exists where" here.
/// </summary>
public sealed class OperationCatalog
{
    private readonly Dictionary<OperationName, CollectedOperation> _operations;

    /// <summary>Creates a catalogue from operations and their scopes (numbers typed as AWS sends them).</summary>
    public OperationCatalog(IEnumerable<KeyValuePair<OperationName, CollectionScope>> operations)
        : this(operations.Select(p => new CollectedOperation(p.Key, [SiteOf(p.Value)], NumberTyping.AsSent)).ToDictionary(o => o.Name, o => o))
    {
    }

    private OperationCatalog(Dictionary<OperationName, CollectedOperation> operations) => _operations = operations;

    /// <summary>Creates a catalogue from collected operations (what the plan loader produces).</summary>
    public static OperationCatalog Of(IEnumerable<CollectedOperation> operations) => new(operations.ToDictionary(o => o.Name, o => o));

    /// <summary>A catalogue that accepts every well-formed operation name (for packs checked without a plan); it checks nothing.</summary>
    public static OperationCatalog Open { get; } = new(new Dictionary<OperationName, CollectedOperation>()) { IsOpen = true };

    /// <summary>True when every operation is accepted.</summary>
    public bool IsOpen { get; private init; }

    /// <summary>All known operations, sorted.</summary>
    public IReadOnlyList<OperationName> Operations =>
        _operations.Keys.OrderBy(o => o.Service, StringComparer.Ordinal).ThenBy(o => o.Operation, StringComparer.Ordinal).ToArray();

    /// <summary>True when the operation is known (or the catalogue is open).</summary>
    public bool Contains(OperationName name) => IsOpen || _operations.ContainsKey(name);

    /// <summary>The scope of a known operation.</summary>
    public CollectionScope? ScopeOf(OperationName name) => Find(name)?.Scope;

    /// <summary>Where and how a known operation is collected; null when unknown (and always for <see cref="Open"/>).</summary>
    public CollectedOperation? Find(OperationName name) => _operations.GetValueOrDefault(name);

    private static CollectionSite SiteOf(CollectionScope scope) => scope switch
    {
        CollectionScope.Organization => new CollectionSite(CollectedOperation.OrganizationRole, false),
        CollectionScope.Account => new CollectionSite(null, false),
        _ => new CollectionSite(null, true),
    };
}
