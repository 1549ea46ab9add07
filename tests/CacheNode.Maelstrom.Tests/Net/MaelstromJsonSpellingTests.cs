using System.Text.Json;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Tests.Net;

/// <summary>
/// Maelstrom's respelling of messages. Expected texts for doubles come from Jackson 2.17's DoubleToDecimal
/// (the JDK 19+ Double.toString algorithm) and the key orders from Clojure 1.12.0 running process.clj's
/// keywordize-keys-1 over maps built as Cheshire's parse-object builds them, both run on this machine.
/// </summary>
public sealed class MaelstromJsonSpellingTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("-7", "-7")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    public void Integers_keep_their_digits_and_minus_zero_is_zero(string written, string delivered) =>
        MaelstromJsonSpelling.Spell(written).Should().Be(delivered);

    [Theory]
    [InlineData("10000000.0", "1.0E7")]
    [InlineData("1e7", "1.0E7")]
    [InlineData("9999999.0", "9999999.0")]
    [InlineData("12345678.9", "1.23456789E7")]
    [InlineData("0.0001", "1.0E-4")]
    [InlineData("0.001", "0.001")]
    [InlineData("1E2", "100.0")]
    [InlineData("1.0e+2", "100.0")]
    [InlineData("1.50", "1.5")]
    [InlineData("2.0", "2.0")]
    [InlineData("0.1", "0.1")]
    [InlineData("-0.0", "-0.0")]
    [InlineData("0e5", "0.0")]
    [InlineData("1e-400", "0.0")]
    [InlineData("123456789.0", "1.23456789E8")]
    [InlineData("2e23", "2.0E23")]
    [InlineData("1e21", "1.0E21")]
    [InlineData("-1e-5", "-1.0E-5")]
    [InlineData("5.6843418860808015E-14", "5.684341886080802E-14")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157E308")]
    [InlineData("2.2250738585072014E-308", "2.2250738585072014E-308")]
    [InlineData("5e-324", "4.9E-324")]
    [InlineData("1.5e-323", "1.5E-323")]
    public void Numbers_with_a_fraction_or_exponent_are_doubles_in_Javas_spelling(string written, string delivered) =>
        MaelstromJsonSpelling.Spell(written).Should().Be(delivered);

    [Theory]
    [InlineData("1e400", "\"Infinity\"")]
    [InlineData("-1e400", "\"-Infinity\"")]
    public void A_double_too_large_becomes_the_string_Jackson_writes_for_infinity(string written, string delivered) =>
        MaelstromJsonSpelling.Spell(written).Should().Be(delivered);

    [Theory]
    [InlineData("\"a\\tb\"", "\"a\\tb\"")]
    [InlineData("\"a\\u0009b\"", "\"a\\tb\"")]
    [InlineData("\"a\tb\"", "\"a\\tb\"")]
    [InlineData("\"\\b\\f\\n\\r\"", "\"\\b\\f\\n\\r\"")]
    [InlineData("\"\\u0000\\u001f\\u000b\"", "\"\\u0000\\u001F\\u000B\"")]
    [InlineData("\"\\\"\\\\\"", "\"\\\"\\\\\"")]
    [InlineData("\"a\\/b\"", "\"a/b\"")]
    [InlineData("\"\\u0041\"", "\"A\"")]
    [InlineData("\"\\u00e9 é\"", "\"é é\"")]
    [InlineData("\"\\u007f\"", "\"\u007f\"")]
    [InlineData("\"\\u2028\"", "\"\u2028\"")]
    [InlineData("\"\\ud83d\\ude00\"", "\"😀\"")]
    [InlineData("\"x\\ud800y\"", "\"x?y\"")]
    [InlineData("\"\\udc00\"", "\"?\"")]
    public void Strings_are_decoded_and_escaped_again_as_Jackson_does(string written, string delivered) =>
        MaelstromJsonSpelling.Spell(written).Should().Be(delivered);

    [Fact]
    public void Whitespace_goes_and_up_to_eight_members_keep_their_order()
    {
        MaelstromJsonSpelling.Spell(""" { "b" : 1 , "a" : [ 1 , 2 , { } , [ ] ] , "c" : null } """)
            .Should().Be("""{"b":1,"a":[1,2,{},[]],"c":null}""");
        MaelstromJsonSpelling.Spell("""{"h":8,"g":7,"f":6,"e":5,"d":4,"c":3,"b":2,"a":1}""")
            .Should().Be("""{"h":8,"g":7,"f":6,"e":5,"d":4,"c":3,"b":2,"a":1}""");
    }

    [Fact]
    public void A_repeated_key_keeps_its_first_place_and_its_last_value()
    {
        MaelstromJsonSpelling.Spell("""{"a":1,"b":2,"a":3}""").Should().Be("""{"a":3,"b":2}""");

        // Nine members, eight keys: still an array map.
        MaelstromJsonSpelling.Spell("""{"h":8,"g":7,"f":6,"e":5,"d":4,"c":3,"b":2,"a":1,"h":9}""")
            .Should().Be("""{"h":9,"g":7,"f":6,"e":5,"d":4,"c":3,"b":2,"a":1}""");
    }

    [Fact]
    public void More_than_eight_keys_below_the_body_come_in_the_hash_order_of_their_strings()
    {
        Keys(MaelstromJsonSpelling.Spell(Object("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")))
            .Should().Equal("d", "f", "e", "j", "a", "i", "b", "g", "h", "c");
        Keys(MaelstromJsonSpelling.Spell(Object("ns/a", "a", "b/", "/", "x/y/z", "c", "d", "e", "f")))
            .Should().Equal("d", "f", "e", "/", "a", "b/", "ns/a", "x/y/z", "c");
    }

    [Fact]
    public void More_than_eight_keys_in_the_body_come_in_the_hash_order_of_their_keywords()
    {
        Keys(BodyOf(Object("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")))
            .Should().Equal("e", "g", "c", "j", "h", "b", "d", "f", "i", "a");
        Keys(BodyOf(Object("type", "msg_id", "key", "value", "from", "to", "create_if_not_exists", "in_reply_to", "extra")))
            .Should().Equal("msg_id", "key", "value", "extra", "type", "from", "create_if_not_exists", "in_reply_to", "to");

        // A '/' splits a keyword into namespace and name, which hash apart.
        Keys(BodyOf(Object("ns/a", "a", "b/", "/", "x/y/z", "c", "d", "e", "f")))
            .Should().Equal("/", "e", "x/y/z", "c", "b/", "ns/a", "d", "f", "a");
    }

    [Fact]
    public void Objects_nested_in_the_body_have_string_keys()
    {
        var body = BodyOf($$"""{"type":"t","inner":{{Object("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")}}}""");

        using var document = JsonDocument.Parse(body);
        document.RootElement.GetProperty("inner").EnumerateObject().Select(p => p.Name)
            .Should().Equal("d", "f", "e", "j", "a", "i", "b", "g", "h", "c");
    }

    [Fact]
    public void Respelling_a_respelled_value_changes_nothing()
    {
        // A value that passes through a service (stored, then read back) is respelled twice.
        var once = MaelstromJsonSpelling.Spell($$"""{"n":[1e7,0.5e-5,-0,"\u0001\/"],"o":{{Object("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")}}}""");

        MaelstromJsonSpelling.Spell(once).Should().Be(once);
    }

    [Fact]
    public void The_delivered_line_is_the_network_id_then_src_dest_and_body()
    {
        Parse("""  {"body": {"value": 10000000.0, "type": "write", "key": "k\u0009"}, "dest": "n2", "src": "n1"}  """)
            .Line(17).Should().Be("""{"id":17,"src":"n1","dest":"n2","body":{"value":1.0E7,"type":"write","key":"k\t"}}""");
    }

    [Fact]
    public void The_senders_id_is_replaced_and_must_be_an_integer()
    {
        Parse("""{"id":99,"src":"n1","dest":"n2","body":{}}""").Line(0).Should().Be("""{"id":0,"src":"n1","dest":"n2","body":{}}""");
        Rejected("""{"id":1.5,"src":"n1","dest":"n2","body":{}}""").Should().Contain("id");
        Rejected("""{"id":null,"src":"n1","dest":"n2","body":{}}""").Should().Contain("id");
    }

    [Fact]
    public void The_top_level_is_closed_and_src_and_dest_are_strings()
    {
        Rejected("""{"src":"n1","dest":"n2","body":{},"note":"x"}""").Should().Contain("\"note\"");
        Rejected("""{"src":1,"dest":"n2","body":{}}""").Should().Contain("src");
        Rejected("""{"src":"n1","body":{}}""").Should().Contain("dest");
        Rejected("""["src","n1"]""").Should().Contain("object");
    }

    [Theory]
    [InlineData("""{"src":"n1","dest":"n2"}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":null}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":[]}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":""}""")]
    public void A_body_that_is_absent_null_or_empty_is_an_empty_object(string line) =>
        Parse(line).Body.Should().Be("{}");

    [Theory]
    [InlineData("""{"src":"n1","dest":"n2","body":5}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":"x"}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":[1]}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":true}""")]
    public void Any_other_body_that_is_not_an_object_is_no_message(string line) =>
        Rejected(line).Should().Contain("body");

    [Fact]
    public void Repeated_top_level_keys_count_last()
    {
        var message = Parse("""{"src":"n9","src":"n1","dest":"n2","body":{"type":"a"},"body":{"type":"b","msg_id":3}}""");

        message.Fields.Should().Be(new RouteFields("n1", "n2", "b", 3, null));
    }

    [Fact]
    public void The_routing_fields_come_from_the_body()
    {
        Parse("""{"src":"n1","dest":"c2","body":{"type":"read_ok","msg_id":4,"in_reply_to":9,"msg_id":5}}""").Fields
            .Should().Be(new RouteFields("n1", "c2", "read_ok", 5, 9));
        Parse("""{"src":"n1","dest":"c2","body":{"type":7,"msg_id":1.0,"in_reply_to":"9"}}""").Fields
            .Should().Be(new RouteFields("n1", "c2", string.Empty, null, null));

        // Only the body's own keys: a type deeper down is not the message's.
        Parse("""{"src":"n1","dest":"c2","body":{"inner":{"type":"x","msg_id":1}}}""").Fields
            .Should().Be(new RouteFields("n1", "c2", string.Empty, null, null));
    }

    [Fact]
    public void Text_after_the_top_level_object_is_ignored_as_Cheshire_reads_one_value()
    {
        Parse("""{"src":"n1","dest":"n2","body":{}} trailing {""").Body.Should().Be("{}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":01}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":1.}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":.5}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":+1}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":NaN}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":'x'}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":"\x"}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":"\u12"}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":[1,]}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":tru}}""")]
    [InlineData("""{"src":"n1","dest":"n2","body":{"a":1}""")]
    [InlineData("{\"src\":\"n1\",\"dest\":\"n2\",\u000b\"body\":{}}")]
    public void What_Jackson_would_not_read_is_no_message(string line) =>
        MaelstromJsonSpelling.TryParse(line, out _, out _).Should().BeFalse();

    [Fact]
    public void Jacksons_limits_hold_nesting_to_1000_and_numbers_to_1000_digits()
    {
        // The top-level object and the body are two levels.
        Parse(Message(new string('[', 998) + new string(']', 998))).Should().NotBeNull();
        Rejected(Message(new string('[', 999) + new string(']', 999))).Should().Contain("nesting");

        Parse(Message(new string('9', 1000))).Body.Should().Be("{\"a\":" + new string('9', 1000) + "}");
        Rejected(Message(new string('9', 1001))).Should().Contain("1000");
        Rejected(Message("1." + new string('5', 1000))).Should().Contain("1000");

        static string Message(string value) => "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"a\":" + value + "}}";
    }

    private static MaelstromMessage Parse(string line)
    {
        MaelstromJsonSpelling.TryParse(line, out var message, out var error).Should().BeTrue(error);
        return message!;
    }

    private static string Rejected(string line)
    {
        MaelstromJsonSpelling.TryParse(line, out _, out var error).Should().BeFalse();
        return error!;
    }

    private static string BodyOf(string body) => Parse($$"""{"src":"n1","dest":"n2","body":{{body}}}""").Body;

    private static string Object(params string[] keys) => "{" + string.Join(',', keys.Select((k, i) => $"\"{k}\":{i}")) + "}";

    private static List<string> Keys(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
    }
}
