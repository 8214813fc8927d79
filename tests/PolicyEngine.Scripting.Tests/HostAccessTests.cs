namespace PolicyEngine.Scripting.Tests;

/// <summary>Every route to the host we could think of is closed, with the exact error a predicate gets.</summary>
public class HostAccessTests
{
    private const string StringCompilation = "predicate threw TypeError: String compilation has been disabled in engine options";

    [Theory]
    // CLR interop is off: none of Jint's interop globals exist.
    [InlineData("return importNamespace('System.IO');", "predicate threw ReferenceError: importNamespace is not defined (line 1, column 8)")]
    [InlineData("return System.IO.File.Exists('/etc/passwd');", "predicate threw ReferenceError: System is not defined (line 1, column 8)")]
    [InlineData("return require('fs');", "predicate threw ReferenceError: require is not defined (line 1, column 8)")]
    [InlineData("return process.env.HOME;", "predicate threw ReferenceError: process is not defined (line 1, column 8)")]
    [InlineData("setTimeout(() => 0, 1); return true;", "predicate threw ReferenceError: setTimeout is not defined (line 1, column 1)")]
    [InlineData("return fetch('http://169.254.169.254/');", "predicate threw ReferenceError: fetch is not defined (line 1, column 8)")]
    [InlineData("return WebAssembly.compile(new Uint8Array(8));", "predicate threw ReferenceError: WebAssembly is not defined (line 1, column 8)")]
    [InlineData("return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0) === 'ok';", "predicate threw ReferenceError: Atomics is not defined (line 1, column 8)")]
    [InlineData("return new SharedArrayBuffer(4).byteLength === 4;", "predicate threw ReferenceError: SharedArrayBuffer is not defined (line 1, column 12)")]
    [InlineData("return new ShadowRealm().evaluate('1') === 1;", "predicate threw ReferenceError: ShadowRealm is not defined (line 1, column 12)")]
    [InlineData("return Temporal.Now.instant() !== null;", "predicate threw TypeError: Cannot read property 'instant' of undefined (line 1, column 8)")]
    // No string compilation, by any constructor.
    [InlineData("return eval('1') === 1;", "predicate threw ReferenceError: eval is not defined (line 1, column 8)")]
    [InlineData("return (0, globalThis['ev' + 'al'])('1') === 1;", "predicate threw TypeError: undefined is not a function (line 1, column 8)")]
    [InlineData("return Function('return this')() !== undefined;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return new Function('return 1')() === 1;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return ctx.constructor.constructor('return this')() !== undefined;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return ctx.evidence.constructor('return globalThis')() !== undefined;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return (function* () { }).constructor('yield 1')().next().value === 1;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return (async function () { }).constructor('return 1') !== null;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return Reflect.construct(Function, ['return this'])() !== undefined;", StringCompilation + " (line 1, column 1)")]
    [InlineData("return Reflect.apply(Function.prototype.constructor, null, ['return 1'])() === 1;", StringCompilation + " (line 1, column 1)")]
    [InlineData("const p = new Proxy({}, { get: (t, k) => Function }); return p.x('return 1')() === 1;", StringCompilation + " (line 1, column 55)")]
    // Strict mode: no way to walk to a caller.
    [InlineData("return arguments.callee !== undefined;", "predicate threw TypeError: 'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them (line 1, column 8)")]
    [InlineData("return ctx.evidence.caller !== undefined;", "predicate threw TypeError: 'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them (line 1, column 8)")]
    public void Route_to_the_host_fails_with_exact_error(string body, string message)
    {
        Sandbox.AssertError(Sandbox.Run(body), "PE3101", message);
    }

    [Theory]
    [InlineData("return typeof importNamespace === 'undefined' && typeof System === 'undefined' && typeof clr === 'undefined';")]
    [InlineData("return typeof require === 'undefined' && typeof process === 'undefined' && typeof module === 'undefined';")]
    [InlineData("return typeof setTimeout === 'undefined' && typeof setInterval === 'undefined' && typeof queueMicrotask === 'undefined';")]
    [InlineData("return typeof fetch === 'undefined' && typeof XMLHttpRequest === 'undefined' && typeof WebSocket === 'undefined';")]
    [InlineData("return typeof WebAssembly === 'undefined' && typeof Atomics === 'undefined' && typeof SharedArrayBuffer === 'undefined';")]
    [InlineData("return typeof eval === 'undefined' && typeof ShadowRealm === 'undefined' && typeof WeakRef === 'undefined' && typeof FinalizationRegistry === 'undefined';")]
    [InlineData("return this === undefined;")]
    [InlineData("return Object.getOwnPropertyNames(globalThis).every(n => !/^(System|importNamespace|require|process|eval|setTimeout|fetch|WebAssembly|Atomics|SharedArrayBuffer|ShadowRealm)$/.test(n));")]
    [InlineData("return ctx.subject.GetType === undefined && ctx.subject.ToString === undefined && ctx.evidence.Method === undefined && ctx.evidence.Target === undefined;")]
    [InlineData("return Reflect.ownKeys(ctx.subject).length === 0 && Object.getPrototypeOf(ctx.subject) === Object.prototype;")]
    [InlineData("return Reflect.defineProperty(Object.prototype, 'x', { value: 1 }) === false && Reflect.set(globalThis, 'x', 1) === false;")]
    [InlineData("return Reflect.setPrototypeOf(globalThis, null) === false && Object.isFrozen(globalThis);")]
    public void Host_surface_is_absent(string body)
    {
        Sandbox.AssertPass(Sandbox.Run(body));
    }

    [Fact]
    public void Dynamic_import_cannot_load_modules()
    {
        Sandbox.AssertError(Sandbox.Run("import('fs'); return true;"), "PE3101",
            "predicate failed in host code: InvalidOperationException: Module loading has been disabled, you need to enable it in engine options");
    }
}
