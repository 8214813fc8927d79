using System.Text;

namespace PolicyEngine.Cli.Tests.Authoring;

/// <summary>
/// A tutorial written in Markdown whose code blocks are executable, so that the tutorial cannot rot:
/// <list type="bullet">
/// <item>a block whose info string carries <c>file=PATH</c> (<c>```yaml file=acme/ACME-S3-01.yaml</c>) is written to
/// PATH, relative to the tutorial's working directory;</item>
/// <item>a <c>```console</c> block holds commands, each on a line starting with <c>$ policy-engine</c>, each followed
/// by exactly what the command prints (standard output, then standard error), and by <c>[exit code N]</c> when it
/// exits non-zero;</item>
/// <item>every other block is prose to the runner.</item>
/// </list>
/// Running the tutorial replays the blocks in order against the installed tool and renders the document again with
/// what the commands really printed; the test compares that rendering with the file byte for byte.
/// </summary>
internal static class MarkdownTutorial
{
    private const string Fence = "```";
    private const string CommandPrompt = "$ ";

    /// <summary>One executable block of the tutorial.</summary>
    public abstract record Block(int Line);

    /// <summary>A file the reader creates.</summary>
    public sealed record FileBlock(int Line, string Path, string Content) : Block(Line);

    /// <summary>Commands the reader runs, each with the output the tutorial shows for it.</summary>
    public sealed record ConsoleBlock(int Line, IReadOnlyList<(string Command, string ShownOutput)> Commands) : Block(Line);

    /// <summary>
    /// Runs <paramref name="markdown"/> in <paramref name="workingDirectory"/> with <paramref name="run"/> (which
    /// receives the words after <c>policy-engine</c>) and returns the document as it would read with the real output.
    /// </summary>
    public static string Replay(string markdown, string workingDirectory, Func<IReadOnlyList<string>, InstalledTool.Result> run)
    {
        var lines = markdown.Split('\n');
        var rendered = new StringBuilder();
        var index = 0;
        while (index < lines.Length)
        {
            var line = lines[index];
            if (!line.StartsWith(Fence, StringComparison.Ordinal))
            {
                Append(rendered, line, index, lines.Length);
                index++;
                continue;
            }

            var info = line[Fence.Length..].Trim();
            var end = index + 1;
            while (end < lines.Length && !lines[end].StartsWith(Fence, StringComparison.Ordinal))
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new InvalidDataException($"line {index + 1}: code block is not closed");
            }

            var body = lines[(index + 1)..end];
            Append(rendered, line, index, lines.Length);
            if (FileTarget(info) is { } path)
            {
                WriteFile(workingDirectory, path, string.Join('\n', body) + "\n");
                foreach (var bodyLine in body)
                {
                    rendered.Append(bodyLine).Append('\n');
                }
            }
            else if (info == "console")
            {
                foreach (var (command, _) in ParseConsole(body, index + 2))
                {
                    var words = Words(command);
                    if (words.Count == 0 || words[0] != "policy-engine")
                    {
                        throw new InvalidDataException($"line {index + 1}: a console block may only run policy-engine, not '{command}'");
                    }

                    var result = run(words.Skip(1).ToList());
                    rendered.Append(CommandPrompt).Append(command).Append('\n');
                    rendered.Append(Render(result));
                }
            }
            else
            {
                foreach (var bodyLine in body)
                {
                    rendered.Append(bodyLine).Append('\n');
                }
            }

            Append(rendered, lines[end], end, lines.Length);
            index = end + 1;
        }

        return rendered.ToString();
    }

    /// <summary>The files the tutorial asks the reader to create, in order.</summary>
    public static IReadOnlyList<FileBlock> Files(string markdown)
    {
        var files = new List<FileBlock>();
        var lines = markdown.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (!lines[index].StartsWith(Fence, StringComparison.Ordinal) || FileTarget(lines[index][Fence.Length..].Trim()) is not { } path)
            {
                continue;
            }

            var end = index + 1;
            while (end < lines.Length && !lines[end].StartsWith(Fence, StringComparison.Ordinal))
            {
                end++;
            }

            files.Add(new FileBlock(index + 1, path, string.Join('\n', lines[(index + 1)..end]) + "\n"));
            index = end;
        }

        return files;
    }

    /// <summary>Splits a command line into words: whitespace separates, single or double quotes group.</summary>
    public static IReadOnlyList<string> Words(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new InvalidDataException($"unclosed quote in '{command}'");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static string Render(InstalledTool.Result result)
    {
        var text = new StringBuilder();
        text.Append(result.StandardOutput);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append(result.StandardError);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        // Blank lines at the end of an output carry nothing for the reader and make blocks look ragged.
        var trimmed = text.ToString().TrimEnd('\n');
        var rendered = trimmed.Length == 0 ? string.Empty : trimmed + "\n";
        return result.ExitCode == 0 ? rendered : rendered + $"[exit code {result.ExitCode}]\n";
    }

    private static List<(string Command, string ShownOutput)> ParseConsole(string[] body, int firstLine)
    {
        var commands = new List<(string, string)>();
        string? command = null;
        var shown = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i].StartsWith(CommandPrompt, StringComparison.Ordinal))
            {
                if (command is not null)
                {
                    commands.Add((command, shown.ToString()));
                }

                command = body[i][CommandPrompt.Length..].Trim();
                shown.Clear();
            }
            else if (command is null)
            {
                throw new InvalidDataException($"line {firstLine + i}: a console block must start with a '$ ' command line");
            }
            else
            {
                shown.Append(body[i]).Append('\n');
            }
        }

        if (command is not null)
        {
            commands.Add((command, shown.ToString()));
        }

        return commands;
    }

    private static string? FileTarget(string info)
    {
        foreach (var word in info.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("file=", StringComparison.Ordinal))
            {
                return word["file=".Length..];
            }
        }

        return null;
    }

    private static void WriteFile(string workingDirectory, string relativePath, string content)
    {
        if (Path.IsPathRooted(relativePath) || relativePath.Split('/').Contains(".."))
        {
            throw new InvalidDataException($"tutorial file path '{relativePath}' must stay inside the working directory");
        }

        var path = Path.Combine(workingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
    }

    private static void Append(StringBuilder rendered, string line, int index, int count)
    {
        rendered.Append(line);
        if (index < count - 1)
        {
            rendered.Append('\n');
        }
    }
}
