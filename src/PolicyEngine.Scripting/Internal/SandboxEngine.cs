using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// One hardened Jint engine, used by one thread at a time.
/// </summary>
/// <remarks>
/// <para>Isolation between calls does not rely on Jint's global snapshot, which leaves intrinsics mutable
/// (<c>Object.prototype.x = 1</c> survives a restore). Instead, at setup every object reachable from the global object
/// and from the hidden intrinsics (generator, async and iterator prototypes, <c>%TypedArray%</c>, <c>%ThrowTypeError%</c>)
/// is frozen, and so is the global object itself. A predicate can then only create objects of its own, which nothing
/// shared refers to, and every per-call value (<c>ctx</c>, the subject) is built fresh for the call.</para>
/// <para>Host-reaching and cross-call-observable globals are deleted before freezing: <c>eval</c> (string compilation is
/// also disabled), <c>Atomics</c>, <c>SharedArrayBuffer</c>, <c>ShadowRealm</c>, <c>WeakRef</c>,
/// <c>FinalizationRegistry</c>, <c>Temporal.Now</c> and the legacy <c>RegExp.$1</c>-style statics, which would
/// otherwise reveal the previous call's last match. CLR interop is off (Jint's default), so <c>System</c>,
/// <c>importNamespace</c> and friends do not exist.</para>
/// </remarks>
internal sealed class SandboxEngine
{
    private static readonly string[] RemovedGlobals =
        ["eval", "Atomics", "SharedArrayBuffer", "ShadowRealm", "WeakRef", "FinalizationRegistry"];

    private static readonly string[] ConsoleMethods = ["log", "info", "warn", "error", "debug"];

    // Objects not reachable by walking globalThis: reach each once, so Jint creates it, and freeze it.
    private const string HiddenIntrinsics = """
        (function () {
            "use strict";
            const roots = [];
            const add = (f) => { try { roots.push(f()); } catch (e) { } };
            add(() => Object.getPrototypeOf(function* () { }));
            add(() => Object.getPrototypeOf(async function () { }));
            add(() => Object.getPrototypeOf(async function* () { }));
            add(() => Object.getPrototypeOf((function* () { })()));
            add(() => Object.getPrototypeOf((async function* () { })()));
            add(() => Object.getPrototypeOf([][Symbol.iterator]()));
            add(() => Object.getPrototypeOf(new Map()[Symbol.iterator]()));
            add(() => Object.getPrototypeOf(new Set()[Symbol.iterator]()));
            add(() => Object.getPrototypeOf(""[Symbol.iterator]()));
            add(() => Object.getPrototypeOf(/a/[Symbol.matchAll]("a")));
            add(() => Object.getPrototypeOf([].values().map((x) => x)));
            add(() => Object.getPrototypeOf(Iterator.from({ next() { return { done: true }; } })));
            add(() => Object.getPrototypeOf(Int8Array));
            add(() => Object.getOwnPropertyDescriptor(arguments, "callee").get);
            add(() => Object.getPrototypeOf(new Intl.Segmenter().segment("")));
            add(() => Object.getPrototypeOf(new Intl.Segmenter().segment("")[Symbol.iterator]()));
            add(() => Object.getPrototypeOf(Promise.resolve()));
            return roots;
        })()
        """;

    private readonly CancellationConstraint _cancellation;
    private readonly CallBudget _budget;
    private readonly SnapshotClock _clock = new();
    private readonly ConditionalWeakTable<CompiledPredicate, JsValue> _functions = [];
    private readonly ScriptSandboxOptions _options;
    private readonly CallState _callState = new();
    private readonly ContextObject _contextObject;

    // Reused per call. Only the call and its promise jobs (drained before the call returns) can see it; it is
    // cleared after, so it never holds a previous call's ctx.
    private readonly JsValue[] _arguments = [JsValue.Undefined];
    private CallState? _call;

    // The last predicate run on this engine and its function: consecutive calls of one rule skip the table lookup.
    private CompiledPredicate? _lastPredicate;
    private JsValue? _lastFunction;

    public SandboxEngine(ScriptSandboxOptions options)
    {
        _options = options;
        var jintOptions = new Options()
            .Strict()
            .DisableStringCompilation()
            .MaxStatements(options.MaxStatements)
            .LimitMemory(options.MemoryLimitBytes)
            .LimitRecursion(options.MaxRecursionDepth)
            .CancellationToken(new CancellationToken(canceled: true));
        // The time limit is the call's budget, armed only while a call runs (setup is never charged), and shared with
        // host code; arrays are capped so that no single built-in can allocate past the memory limit in one step.
        _budget = new CallBudget(options.TimeoutMs, options.MemoryLimitBytes);
        jintOptions.Constraints.Constraints.Add(_budget);
        jintOptions.Constraints.MaxArraySize = (uint)Math.Min(options.MemoryLimitBytes / 16, uint.MaxValue - 1);

        // Deterministic time: Date sees the snapshot's collection time, never the wall clock.
        jintOptions.TimeSystem = _clock;
        jintOptions.TimeZone = TimeZoneInfo.Utc;
        jintOptions.Constraints.StackOverflowGuard = true;
        jintOptions.Constraints.RegexTimeout = TimeSpan.FromMilliseconds(options.RegexTimeoutMs);
        jintOptions.Interop.Enabled = false;
        jintOptions.Interop.AllowWrite = false;

        Engine = new Engine(jintOptions);
        _cancellation = Engine.Constraints.Find<CancellationConstraint>()
            ?? throw new InvalidOperationException("Jint did not register the cancellation constraint.");
        _cancellation.Reset(CancellationToken.None);

        var hidden = EvaluateSetup(HiddenIntrinsics);

        EvidenceFunction = new ClrFunction(Engine, "evidence", (_, args) => Evidence(args, tolerant: false), 2);
        TryEvidenceFunction = new ClrFunction(Engine, "tryEvidence", (_, args) => Evidence(args, tolerant: true), 2);
        ResourcesFunction = new ClrFunction(Engine, "resources", (_, args) => Resources(args), 1);
        QueryFunction = new ClrFunction(Engine, "query", (_, args) => Query(args), 2);
        LogFunction = new ClrFunction(Engine, "log", (_, args) => Log(args), 0);

        var global = Engine.Global;
        foreach (var name in RemovedGlobals)
        {
            global.Delete(name);
        }

        if (global.Get("Temporal") is ObjectInstance temporal)
        {
            temporal.Delete("Now");
        }

        // Math.random would make two runs differ; a predicate has no use for chance.
        var math = (ObjectInstance)global.Get("Math");
        math.DefineOwnProperty("random", new PropertyDescriptor(
            new ClrFunction(Engine, "random", (_, _) => throw new JavaScriptException(Engine.Intrinsics.TypeError,
                "Math.random is not available in predicates: evaluation must give the same result every run")),
            writable: false, enumerable: false, configurable: false));
        HostGuards.Install(Engine, _budget);

        var regExp = (ObjectInstance)global.Get("RegExp");
        foreach (var key in regExp.GetOwnPropertyKeys(Types.String))
        {
            var name = key.ToString();
            if (name is not ("length" or "name" or "prototype"))
            {
                regExp.Delete(key);
            }
        }

        // console.log and friends are aliases of ctx.log, so authors' habits work; they write nowhere but the call's log.
        var console = new JsObject(Engine);
        foreach (var name in ConsoleMethods)
        {
            console.FastSetDataProperty(name, LogFunction);
        }

        global.FastSetDataProperty("console", console);

        DeepFreeze([global, (ObjectInstance)hidden, EvidenceFunction, TryEvidenceFunction, ResourcesFunction, QueryFunction, LogFunction]);
        _contextObject = new ContextObject(this);
    }

    public Engine Engine { get; }

    /// <summary>
    /// Runs the engine's own setup script. It runs under the call time limit (Jint applies it to every evaluation);
    /// on a machine busy enough that a cold start (JIT) exceeds it, the next attempt runs warm. The setup has no side
    /// effect but creating the objects it returns, so it can be repeated.
    /// </summary>
    private JsValue EvaluateSetup(string script)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Engine.Evaluate(script);
            }
            catch (TimeoutException) when (attempt < 5)
            {
            }
        }
    }

    public ScriptSandboxOptions Options => _options;

    public ObjectInstance EvidenceFunction { get; }

    public ObjectInstance TryEvidenceFunction { get; }

    public ObjectInstance ResourcesFunction { get; }

    public ObjectInstance QueryFunction { get; }

    /// <summary><c>ctx.log</c>, also <c>console.log</c>: appends to the running call's log.</summary>
    public ObjectInstance LogFunction { get; }

    /// <summary>True while a call runs; a re-entrant run on the same thread must use another engine.</summary>
    public bool InUse { get; private set; }

    /// <summary>
    /// True once a call ended in a way that may leave Jint's internal state inconsistent (a limit, a host failure, or
    /// leftover promise jobs that could not be drained); the owner then replaces the engine. An InsufficientData abort
    /// and an uncaught JavaScript error do not retire it.
    /// </summary>
    public bool Retired { get; private set; }

    public PredicateResult Run(CompiledPredicate predicate, IPredicateContext context, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Cancelled();
        }

        var result = RunCall(predicate, context, cancellationToken);

        // Whatever the call logged, however it ended; the next call starts with an empty log (CallState.Begin).
        return _callState.Log.AttachTo(result);
    }

    private PredicateResult RunCall(CompiledPredicate predicate, IPredicateContext context, CancellationToken cancellationToken)
    {
        var call = _callState;
        call.Begin(context);
        _call = call;
        InUse = true;
        var arguments = _arguments;
        try
        {
            _cancellation.Reset(cancellationToken);
            var function = GetFunction(predicate);
            _clock.Now = context.CollectedAt ?? DateTimeOffset.UnixEpoch;
            _budget.Arm();
            _contextObject.Bind(context);
            arguments[0] = _contextObject;
            var result = Engine.Call(function, JsValue.Undefined, arguments);

            // Engine.Call leaves promise jobs queued; a later call would run them. Run them now, still under this
            // call's time and statement budget (ProcessTasks does not reset the constraints).
            Engine.Advanced.ProcessTasks();
            if (call.InsufficientData is { } swallowed)
            {
                return new PredicateResult(PredicateOutcome.InsufficientData, swallowed, null, null);
            }

            return ResultReader.Read(result);
        }
        catch (Exception ex) when (call.InsufficientData is not null && ex is not OutOfMemoryException)
        {
            // The abort is a host exception thrown at a known point (a ctx getter or function); Jint unwinds it through
            // the same try/finally paths as a JavaScript throw (call stack, execution contexts, evaluation context),
            // so the engine stays usable once the jobs the call queued are discarded. Anything else (a limit, or an
            // abort that reached us wrapped in another exception) still retires the engine.
            Retired |= ex is not (InsufficientDataException or JavaScriptException) || !DiscardQueuedJobs();
            return new PredicateResult(PredicateOutcome.InsufficientData, call.InsufficientData, null, null);
        }
        catch (JavaScriptException ex)
        {
            // Read the error before any leftover job runs, so the message is what the call threw.
            var threw = ResultReader.Threw(ex, predicate);
            Retired |= !DiscardQueuedJobs();
            return threw;
        }
        catch (Exception ex) when (Classify(ex) is { } failure && WithRunningPosition(failure, predicate) is var located)
        {
            Retired = true;
            return located;
        }
        finally
        {
            _budget.Disarm();
            arguments[0] = JsValue.Undefined;
            _contextObject.Bind(null);
            _call = null;
            call.End();
            InUse = false;
        }
    }

    /// <summary>
    /// After a call ended abnormally, its queued promise jobs must not run in the next call (they would see the next
    /// call's budget, and through the shared ctx functions, its context). Runs them now with no call attached, so every
    /// ctx function throws and any evidence read aborts; true when the queue drained cleanly, false when the engine
    /// must be replaced.
    /// </summary>
    private bool DiscardQueuedJobs()
    {
        _call = null;
        try
        {
            Engine.Advanced.ProcessTasks();
            return true;
        }
#pragma warning disable CA1031 // Any failure while discarding leftover jobs retires the engine; the call's result is already decided.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private PredicateResult? Classify(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RegexMatchTimeoutException:
                    return PredicateResult.Failure(ScriptErrorCodes.RegexTimeout, Invariant(
                        $"a regular expression in the predicate exceeded the regex time limit of {_options.RegexTimeoutMs} ms (regexTimeoutMs)"));
                case TimeoutException:
                    return PredicateResult.Failure(ScriptErrorCodes.Timeout, Invariant(
                        $"predicate exceeded the time limit of {_options.TimeoutMs} ms (timeoutMs)"));
                case StatementsCountOverflowException:
                    return PredicateResult.Failure(ScriptErrorCodes.StatementLimit, Invariant(
                        $"predicate exceeded the statement limit of {_options.MaxStatements} statements (maxStatements)"));
                case MemoryLimitExceededException:
                    return PredicateResult.Failure(ScriptErrorCodes.MemoryLimit, Invariant(
                        $"predicate exceeded the memory limit of {_options.MemoryLimitBytes} bytes (memoryLimitBytes)"));
                case RecursionDepthOverflowException:
                    return PredicateResult.Failure(ScriptErrorCodes.RecursionLimit, Invariant(
                        $"predicate exceeded the recursion depth limit of {_options.MaxRecursionDepth} calls (maxRecursionDepth)"));
                case ExecutionCanceledException or OperationCanceledException:
                    return Cancelled();
            }
        }

        return ex is OutOfMemoryException or InsufficientExecutionStackException
            ? null
            : PredicateResult.Failure(ScriptErrorCodes.Threw, "predicate failed in host code: " + ex.GetType().Name + ": " + ex.Message);
    }

    /// <summary>
    /// Locates a limit in the predicate source. Called from the exception filter, before Jint unwinds its call stack,
    /// so the stack's innermost frame in the predicate says where the call was when the limit struck.
    /// </summary>
    private PredicateResult WithRunningPosition(PredicateResult failure, CompiledPredicate predicate)
    {
        if (failure.ErrorCode == ScriptErrorCodes.Cancelled)
        {
            return failure;
        }

        string trace;
        try
        {
            trace = Engine.Advanced.StackTrace;
        }
#pragma warning disable CA1031 // The position is a courtesy: without a readable stack the error stays unlocated.
        catch (Exception)
#pragma warning restore CA1031
        {
            return failure;
        }

        // Frames read "   at name (source:line:column)"; the source name may itself contain ':' or '#'.
        var marker = predicate.SourceName + ":";
        var at = trace.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return failure;
        }

        var position = trace.AsSpan(at + marker.Length);
        var end = position.IndexOfAny(')', '\n');
        position = end >= 0 ? position[..end] : position;
        var colon = position.IndexOf(':');
        if (colon < 0 || !int.TryParse(position[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var wrappedLine)
            || !int.TryParse(position[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var wrappedColumn))
        {
            return failure;
        }

        // Jint's stack columns are 1-based; ToScriptPosition takes Acornima's 0-based column.
        var (line, column) = PredicateCompiler.ToScriptPosition(predicate.Source, wrappedLine, wrappedColumn - 1);
        return failure with { Line = line, Column = column };
    }

    private static PredicateResult Cancelled() =>
        PredicateResult.Failure(ScriptErrorCodes.Cancelled, "predicate evaluation was cancelled");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private JsValue GetFunction(CompiledPredicate predicate)
    {
        if (ReferenceEquals(predicate, _lastPredicate))
        {
            return _lastFunction!;
        }

        if (_functions.TryGetValue(predicate, out var function))
        {
            _lastPredicate = predicate;
            _lastFunction = function;
            return function;
        }

        var prepared = predicate.Prepared;
        function = Engine.Evaluate(in prepared);

        // The function object and its .prototype are shared by every later call on this engine: freeze them too.
        DeepFreeze([(ObjectInstance)function]);
        _functions.AddOrUpdate(predicate, function);
        _lastPredicate = predicate;
        _lastFunction = function;
        return function;
    }

    internal JsValue RequireOk(EvidenceView view)
    {
        if (view.Status == EvidenceStatus.Ok)
        {
            return JsonValues.From(Engine, view.Response);
        }

        var message = CallState.Describe(view);
        if (_call is { } call)
        {
            call.InsufficientData ??= message;
        }

        throw new InsufficientDataException(message);
    }

    private CallState Current => _call ?? throw new JavaScriptException(Engine.Intrinsics.Error, "ctx is not usable outside its predicate call");

    private JsValue Evidence(JsValue[] args, bool tolerant)
    {
        var context = Current.Context;
        var name = args.Length > 0 && args[0].IsString()
            ? args[0].ToString()
            : throw new JavaScriptException(Engine.Intrinsics.TypeError, (tolerant ? "ctx.tryEvidence" : "ctx.evidence") + ": the first argument must be an input name (string)");
        // Unset account and region mean "where the input is declared" (for example account: management), which the
        // host resolves; defaulting to the subject here would silently read the wrong account.
        string? account = null, region = null;
        Dictionary<string, string>? parameters = null;
        if (args.Length > 1 && args[1] is ObjectInstance options)
        {
            account = OptionalString(options, "account", account);
            region = OptionalString(options, "region", region);
            if (options.GetOwnProperty("parameters") is { Value: ObjectInstance bag } descriptor && descriptor.IsDataDescriptor())
            {
                parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var key in bag.GetOwnPropertyKeys(Types.String))
                {
                    var value = bag.GetOwnProperty(key);
                    parameters[key.ToString()] = value.IsDataDescriptor() && value.Value.IsString()
                        ? value.Value.ToString()
                        : throw new JavaScriptException(Engine.Intrinsics.TypeError, "ctx.evidence: parameter '" + key + "' must be a string");
                }
            }
        }
        else if (args.Length > 1 && !args[1].IsUndefined())
        {
            throw new JavaScriptException(Engine.Intrinsics.TypeError, "ctx.evidence: the second argument must be an object {account, region, parameters}");
        }

        var view = context.Evidence(name, account, region, parameters);
        if (!tolerant)
        {
            return RequireOk(view);
        }

        var status = view.Status switch
        {
            EvidenceStatus.Ok => "ok",
            EvidenceStatus.Error => "error",
            EvidenceStatus.NotCollected => "notCollected",
            _ => "missing",
        };
        var result = new JsObject(Engine);
        result.FastSetDataProperty("status", JsString.Create(status));
        result.FastSetDataProperty("response", view.Status == EvidenceStatus.Ok ? JsonValues.From(Engine, view.Response) : JsValue.Null);
        result.FastSetDataProperty("errorCode", view.ErrorCode is null ? JsValue.Null : JsString.Create(view.ErrorCode));
        result.FastSetDataProperty("errorMessage", view.ErrorMessage is null ? JsValue.Null : JsString.Create(view.ErrorMessage));
        result.FastSetDataProperty("key", JsString.Create(view.Key));
        return result;
    }

    private string? OptionalString(ObjectInstance options, string name, string? fallback)
    {
        var descriptor = options.GetOwnProperty(name);
        if (descriptor == PropertyDescriptor.Undefined || !descriptor.IsDataDescriptor() || descriptor.Value.IsUndefined())
        {
            return fallback;
        }

        return descriptor.Value.IsNull() ? null
            : descriptor.Value.IsString() ? descriptor.Value.ToString()
            : throw new JavaScriptException(Engine.Intrinsics.TypeError, "ctx.evidence: option '" + name + "' must be a string or null");
    }

    private JsArray Resources(JsValue[] args)
    {
        var context = Current.Context;
        if (args.Length == 0 || !args[0].IsString())
        {
            throw new JavaScriptException(Engine.Intrinsics.TypeError, "ctx.resources: the argument must be a resource type (string)");
        }

        var resourceType = args[0].ToString();
        if (context.ResourcesNotCollected is { } reason)
        {
            // "No item of the type" would let a predicate pass on data nobody collected.
            var message = $"{reason}, so ctx.resources('{resourceType}') cannot tell which resources exist; evaluate a snapshot with AWS Config resources (policy-engine import)";
            Current.InsufficientData ??= message;
            throw new InsufficientDataException(message);
        }

        if (context.ResourcesIncomplete(resourceType) is { } incomplete)
        {
            var message = $"{incomplete}, so ctx.resources('{resourceType}') cannot tell which resources exist";
            Current.InsufficientData ??= message;
            throw new InsufficientDataException(message);
        }

        var items = context.Resources(resourceType);
        var values = new JsValue[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = JsonValues.From(Engine, items[i]);
        }

        return JsonValues.Frozen(Engine, values);
    }

    private JsValue Log(JsValue[] args)
    {
        Current.Log.Add(args);
        return JsValue.Undefined;
    }

    private JsValue Query(JsValue[] args)
    {
        _ = Current;
        if (args.Length < 2 || !args[1].IsString())
        {
            throw new JavaScriptException(Engine.Intrinsics.TypeError, "ctx.query: expected (value, jsonPath)");
        }

        return JsonPathBridge.Query(this, args[0], args[1].ToString());
    }

    /// <summary>The call's budget, charged by host code (ctx.query) before it builds something large.</summary>
    internal CallBudget Budget => _budget;

    /// <summary>
    /// Freezes every object reachable from <paramref name="roots"/> through own property values, accessors and
    /// prototypes, the way <c>Object.freeze</c> would, without running script (so no statement or memory budget).
    /// </summary>
    internal static void DeepFreeze(IEnumerable<ObjectInstance> roots)
    {
        var pending = new Stack<ObjectInstance>(roots);
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var key in current.GetOwnPropertyKeys(Types.String | Types.Symbol))
            {
                var descriptor = current.GetOwnProperty(key);
                if (descriptor == PropertyDescriptor.Undefined)
                {
                    continue;
                }

                if (descriptor.IsAccessorDescriptor())
                {
                    Push(pending, descriptor.Get);
                    Push(pending, descriptor.Set);
                    current.DefineOwnProperty(key, new PropertyDescriptor { Configurable = false });
                }
                else
                {
                    Push(pending, descriptor.Value);
                    current.DefineOwnProperty(key, new PropertyDescriptor { Configurable = false, Writable = false });
                }
            }

            Push(pending, current.Prototype);
            current.PreventExtensions();
        }
    }

    private static void Push(Stack<ObjectInstance> pending, JsValue? value)
    {
        if (value is ObjectInstance instance)
        {
            pending.Push(instance);
        }
    }
}
