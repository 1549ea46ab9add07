using System.Buffers;
using System.Globalization;
using System.Text;

namespace CacheNode.Diagnostics;

/// <summary>
/// A minimal leveled logger on a text writer (stderr in production). One line per call, written
/// under a lock so lines from different threads never interleave.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.Logging would add a package and start-up cost for what is one line of
/// formatting; callers check <see cref="IsEnabled"/> before building expensive messages.
/// </remarks>
internal sealed class Log
{
    private readonly TextWriter _writer;
    private readonly Lock _gate = new();

    public Log(TextWriter writer, LogLevel level)
    {
        _writer = writer;
        Level = level;
    }

    public LogLevel Level { get; }

    public static Log Silent { get; } = new(TextWriter.Null, LogLevel.Error);

    public bool IsEnabled(LogLevel level) => level <= Level;

    public void Error(string message) => Write(LogLevel.Error, message);
    public void Warn(string message) => Write(LogLevel.Warn, message);
    public void Info(string message) => Write(LogLevel.Info, message);
    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:HH:mm:ss.fff} {LevelName(level)} {Printable(message)}");
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <summary>
    /// The message with control characters written as <c>\xNN</c> (and a backslash as <c>\\</c> when
    /// any is): messages quote input, and raw ESC, NUL or newlines from it could rewrite a terminal or
    /// split one log line into two.
    /// </summary>
    internal static string Printable(string message)
    {
        if (!message.AsSpan().ContainsAny(ControlCharacters))
        {
            return message;
        }

        var text = new StringBuilder(message.Length + 16);
        foreach (var c in message)
        {
            if (c == '\\')
            {
                text.Append(@"\\");
            }
            else if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    // C0 controls, DEL and C1 controls: everything char.IsControl calls a control character.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), (char)0x7F, .. Enumerable.Range(0x80, 0x20).Select(i => (char)i)]);

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Error => "ERROR",
        LogLevel.Warn => "WARN ",
        LogLevel.Info => "INFO ",
        _ => "DEBUG",
    };
}
