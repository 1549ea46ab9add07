using System.Globalization;

namespace CacheNode.Maelstrom.Net;

/// <summary>
/// Java's <c>Double.toString</c> (JDK 19 and later, the shortest-decimal algorithm, which is also Jackson's
/// <c>DoubleToDecimal</c>): how Maelstrom writes every JSON number that had a fraction or an exponent, since
/// Cheshire parses those into doubles and Jackson's <c>writeNumber(double)</c> prints <c>Double.toString</c>.
/// Plain notation with at least one fraction digit for 10^-3 ≤ |d| &lt; 10^7 (<c>100.0</c>, <c>0.001</c>),
/// otherwise <c>d.dddE±n</c> with no plus sign (<c>1.0E7</c>, <c>1.0E-4</c>).
/// </summary>
internal static class JavaDoubleText
{
    /// <summary>Java's text for a finite <paramref name="value"/> (non-finite ones are never written as numbers here).</summary>
    public static string Format(double value)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // .NET's round-trip format is the shortest decimal that reads back as the same double, nearest to it
        // when several are that short: the same digits Java chooses, except in the case below.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        if (digits.Length == 1)
        {
            // Java's one exception to "shortest": when one digit suffices it still takes the two-digit decimal
            // nearest the double if that one reads back too (Double.MIN_VALUE prints 4.9E-324, not 5E-324).
            var two = Math.Abs(value).ToString("E1", CultureInfo.InvariantCulture);
            var (twoDigits, twoExponent) = Decompose(two);
            if (twoDigits.Length == 2 && double.Parse(two, NumberStyles.Float, CultureInfo.InvariantCulture) == Math.Abs(value))
            {
                (digits, exponent) = (twoDigits, twoExponent);
            }
        }

        var sign = value < 0 ? "-" : "";
        if (exponent is >= -3 and < 7)
        {
            if (exponent < 0)
            {
                return sign + "0." + new string('0', -exponent - 1) + digits;
            }

            var whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
            var fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
            return sign + whole + "." + fraction;
        }

        return sign + digits[0] + "." + (digits.Length > 1 ? digits[1..] : "0") + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The significant digits (no leading or trailing zeros) of a positive .NET number text ("123.45",
    /// "1E+23", "4.9E-324") and the power of ten of the first of them.
    /// </summary>
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var e = text.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? text : text[..e];
        var power = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var all = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        var significant = all[leading..].TrimEnd('0');
        return (significant.Length == 0 ? "0" : significant, power + integerDigits - leading - 1);
    }
}
