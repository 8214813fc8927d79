using Jint.Native;
using Jint.Runtime;

namespace PolicyEngine.Scripting.Internal;

/// <summary><c>ctx.query(value, path)</c> through PolicyEngine.JsonPath.</summary>
internal static class JsonPathBridge
{
    public static JsValue Query(SandboxEngine sandbox, JsValue value, string path)
    {
        _ = value;
        _ = path;
        throw new JavaScriptException(sandbox.Engine.Intrinsics.Error, "ctx.query is not available yet");
    }
}
