using System.Globalization;

namespace CacheNode.Bench.Running;

/// <summary>One pass of a request file through one command: its timing and what came out.</summary>
internal sealed record PipeRunResult(
    TimeSpan Elapsed,
    TimeSpan? FirstReplyAt,
    TimeSpan? AllRepliesAt,
    long ExpectedLines,
    long Lines,
    long NonReplies,
    long Errors,
    string? FirstBadLine,
    int ExitCode,
    bool KilledIdle,
    string? FeedError,
    long? PeakRssBytes,
    string StderrTail)
{
    /// <summary>From the first line out (<c>init_ok</c>) to the last: the run without start-up.</summary>
    public TimeSpan? Warm => AllRepliesAt - FirstReplyAt;

    /// <summary>Why this run does not count, or null if it is good. <c>cat</c> output is requests, so only its count is checked.</summary>
    public string? Problem(bool checkReplies)
    {
        var problems = new List<string>();
        if (KilledIdle)
        {
            problems.Add("killed after producing no output for too long");
        }

        if (Lines != ExpectedLines)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Lines} output lines for {ExpectedLines} input lines"));
        }

        if (checkReplies && NonReplies > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{NonReplies} lines are not replies"));
        }

        if (checkReplies && Errors > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Errors} error replies"));
        }

        if (FeedError is not null)
        {
            problems.Add($"writing the requests failed: {FeedError}");
        }

        if (ExitCode != 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"exit code {ExitCode}"));
        }

        if (problems.Count == 0)
        {
            return null;
        }

        if (checkReplies && FirstBadLine is not null)
        {
            problems.Add($"first bad line: {FirstBadLine}");
        }

        return string.Join("; ", problems);
    }
}
