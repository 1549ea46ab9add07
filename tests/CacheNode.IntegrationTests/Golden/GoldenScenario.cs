namespace CacheNode.IntegrationTests.Golden;

/// <summary>
/// One golden file: a conversation with the node. Format, one directive per line:
/// <c># comment</c>; <c>env NAME=VALUE</c>; <c>arg --flag</c>; <c>mode batch</c> (send every input first, then
/// compare all output, as <c>cat file | node</c> would); <c>&gt; line</c> a line sent to stdin; <c>&lt; line</c> a
/// line expected on stdout, in order; <c>stderr~ text</c> text the stderr log must contain; <c>exit N</c> the
/// exit code after stdin closes (default 0).
/// </summary>
internal sealed record GoldenScenario(
    string Name,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Args,
    bool Batch,
    IReadOnlyList<GoldenStep> Steps,
    IReadOnlyList<string> StderrContains,
    int ExitCode)
{
    public static GoldenScenario Parse(string name, IEnumerable<string> lines)
    {
        var environment = new Dictionary<string, string>();
        var args = new List<string>();
        var steps = new List<GoldenStep>();
        var stderr = new List<string>();
        var batch = false;
        var exitCode = 0;
        var lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("> ", StringComparison.Ordinal))
            {
                steps.Add(new GoldenStep(line[2..], []));
            }
            else if (line.StartsWith("< ", StringComparison.Ordinal))
            {
                if (steps.Count == 0)
                {
                    throw new FormatException($"{name}:{lineNumber}: expected output before any input");
                }

                steps[^1].Expected.Add(line[2..]);
            }
            else if (line.StartsWith("env ", StringComparison.Ordinal))
            {
                var pair = line[4..].Split('=', 2);
                environment[pair[0]] = pair[1];
            }
            else if (line.StartsWith("arg ", StringComparison.Ordinal))
            {
                args.Add(line[4..]);
            }
            else if (line == "mode batch")
            {
                batch = true;
            }
            else if (line.StartsWith("stderr~ ", StringComparison.Ordinal))
            {
                stderr.Add(line[8..]);
            }
            else if (line.StartsWith("exit ", StringComparison.Ordinal))
            {
                exitCode = int.Parse(line[5..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                throw new FormatException($"{name}:{lineNumber}: unknown directive '{line}'");
            }
        }

        return new GoldenScenario(name, environment, args, batch, steps, stderr, exitCode);
    }
}

/// <summary>A line sent to the node and the lines it must answer with before the next is sent.</summary>
internal sealed record GoldenStep(string Input, List<string> Expected);
