using Jint;
using Jint.Native;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// The frozen <c>ctx</c> object handed to a predicate, members built on first read. One per engine, rebound to each
/// call's context by <see cref="Bind"/> (which forgets the members built for the previous call, but for the snapshot-wide sections) and unbound after it.
/// Reuse is unobservable: a call cannot keep anything, so no script sees <c>ctx</c> from two calls.
/// </summary>
internal sealed class ContextObject : ReadOnlyObject
{
    /// <summary>The members, in the order <c>Object.keys(ctx)</c> gives them; <see cref="PredicateAnalyzer"/> checks reads against them.</summary>
    internal static readonly string[] Names =
    [
        "subject", "account", "region", "roles", "organization", "accountRoles", "activeAccounts", "governedRegions", "inputs",
        "evidence", "tryEvidence", "resources", "query", "log",
    ];

    private readonly SandboxEngine _sandbox;
    private IPredicateContext? _context;
    private JsValue? _subject, _roles, _organization, _accountRoles, _activeAccounts, _governedRegions, _inputs;
    private object? _sharedSections;

    public ContextObject(SandboxEngine sandbox)
        : base(sandbox.Engine)
    {
        _sandbox = sandbox;
    }

    /// <summary>
    /// Binds to a call's context (or to none), dropping the members materialized for the previous call, except the
    /// snapshot-wide sections while <see cref="IPredicateContext.SharedSections"/> stays the same.
    /// </summary>
    public void Bind(IPredicateContext? context)
    {
        _context = context;
        _subject = _roles = _inputs = null;
        // The snapshot-wide sections are frozen, so a view made for one subject is the same for the next one of the same
        // snapshot; re-projecting an organization of 10,000 accounts for each of its accounts would cost its square.
        // Unbinding (null, after each call) keeps them for the next call to compare.
        if (context is null)
        {
            return;
        }

        if (context.SharedSections is not { } shared || !ReferenceEquals(shared, _sharedSections))
        {
            _organization = _accountRoles = _activeAccounts = _governedRegions = null;
        }

        _sharedSections = context.SharedSections;
    }

    protected override IEnumerable<string> MemberNames => Names;

    protected override bool HasMember(string name) => Array.IndexOf(Names, name) >= 0;

    protected override bool TryGetMember(string name, out JsValue value)
    {
        if (_context is null)
        {
            throw new Jint.Runtime.JavaScriptException(Engine.Intrinsics.Error, "ctx is not usable outside its predicate call");
        }

        value = name switch
        {
            "subject" => _subject ??= JsonValues.From(Engine, _context.Subject),
            "account" => _context.Account is { } account ? JsString.Create(account) : JsValue.Null,
            "region" => _context.Region is { } region ? JsString.Create(region) : JsValue.Null,
            "roles" => _roles ??= Strings(Engine, _context.Roles),
            "organization" => _organization ??= JsonValues.From(Engine, _context.Organization),
            "accountRoles" => _accountRoles ??= JsonValues.From(Engine, _context.AccountRoles),
            "activeAccounts" => _activeAccounts ??= _context.ActiveAccountIds is { } ids ? Strings(Engine, ids) : JsValue.Null,
            "governedRegions" => _governedRegions ??= Strings(Engine, _context.GovernedRegions),
            "inputs" => _inputs ??= new InputsObject(_sandbox, _context.Inputs),
            "evidence" => _sandbox.EvidenceFunction,
            "tryEvidence" => _sandbox.TryEvidenceFunction,
            "resources" => _sandbox.ResourcesFunction,
            "query" => _sandbox.QueryFunction,
            "log" => _sandbox.LogFunction,
            _ => null!,
        };
        return value is not null;
    }

    internal static JsArray Strings(Engine engine, IReadOnlyList<string> values)
    {
        var items = new JsValue[values.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = JsString.Create(values[i]);
        }

        return JsonValues.Frozen(engine, items);
    }
}

/// <summary>
/// <c>ctx.inputs</c>: one member per declared input. Reading an input whose evidence is not OK aborts the predicate
/// with <see cref="PredicateOutcome.InsufficientData"/>; asking whether it exists does not.
/// </summary>
internal sealed class InputsObject : ReadOnlyObject
{
    private readonly SandboxEngine _sandbox;
    private readonly IReadOnlyDictionary<string, EvidenceView> _inputs;
    private Dictionary<string, JsValue>? _cache;

    public InputsObject(SandboxEngine sandbox, IReadOnlyDictionary<string, EvidenceView> inputs)
        : base(sandbox.Engine)
    {
        _sandbox = sandbox;
        _inputs = inputs;
    }

    protected override IEnumerable<string> MemberNames => _inputs.Keys.Order(StringComparer.Ordinal);

    protected override bool HasMember(string name) => _inputs.ContainsKey(name);

    protected override bool TryGetMember(string name, out JsValue value)
    {
        if (_cache is not null && _cache.TryGetValue(name, out value!))
        {
            return true;
        }

        if (!_inputs.TryGetValue(name, out var view))
        {
            value = JsValue.Undefined;
            return false;
        }

        value = _sandbox.RequireOk(view);
        (_cache ??= new Dictionary<string, JsValue>(StringComparer.Ordinal))[name] = value;
        return true;
    }
}

/// <summary>Thrown from host code to stop a predicate that read evidence which is not OK. Scripts cannot catch it.</summary>
internal sealed class InsufficientDataException : Exception
{
    public InsufficientDataException()
    {
    }

    public InsufficientDataException(string message)
        : base(message)
    {
    }

    public InsufficientDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>State of the call in progress on a <see cref="SandboxEngine"/>; one instance per engine, reset for each call.</summary>
internal sealed class CallState
{
    private IPredicateContext? _context;

    public IPredicateContext Context => _context ?? throw new InvalidOperationException("No predicate call is in progress.");

    public void Begin(IPredicateContext context)
    {
        _context = context;
        InsufficientData = null;
        Log.Clear();
    }

    /// <summary>What the call logged; kept after <see cref="End"/> so the result can carry it, cleared by the next <see cref="Begin"/>.</summary>
    public PredicateLog Log { get; } = new();

    public void End()
    {
        _context = null;
        InsufficientData = null;
    }

    /// <summary>Set before an abort is thrown, so a swallowed abort is still reported.</summary>
    public string? InsufficientData { get; set; }

    public static string Describe(EvidenceView view)
    {
        var status = view.Status switch
        {
            EvidenceStatus.Error => "error",
            EvidenceStatus.NotCollected => "not collected",
            EvidenceStatus.Missing => "missing",
            _ => "ok",
        };
        var text = $"evidence '{view.Key}' is {status}";
        if (view.ErrorCode is not null || view.ErrorMessage is not null)
        {
            text += ": " + string.Join(" ", new[] { view.ErrorCode, view.ErrorMessage }.Where(s => !string.IsNullOrEmpty(s)));
        }

        return text;
    }
}
