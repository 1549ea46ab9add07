using CacheNode.Diagnostics;

namespace CacheNode.UnitTests.Diagnostics;

/// <summary>Log lines quote input: control characters in it must not reach a terminal raw.</summary>
public sealed class LogTests
{
    [Fact]
    public void Control_characters_from_input_are_escaped_and_the_line_stays_one_line()
    {
        var output = new StringWriter();
        var log = new Log(output, LogLevel.Info);

        log.Warn("line 3: not valid JSON: \u001b[2J\0\f{\"a\":\n1} C:\\path \u009b");

        var written = output.ToString();
        written.Should().EndWith("line 3: not valid JSON: \\x1b[2J\\x00\\x0c{\"a\":\\x0a1} C:\\\\path \\x9b" + Environment.NewLine);
        written.TrimEnd('\r', '\n').Should().NotContain("\n").And.NotContain("\u001b").And.NotContain("\0");
    }

    [Fact]
    public void Printable_text_is_written_as_it_is()
    {
        Log.Printable("n1 → n2: ключ \"k\" C:\\dir").Should().Be("n1 → n2: ключ \"k\" C:\\dir");
    }
}
